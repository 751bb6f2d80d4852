package dev.headwater.serve;

import dev.headwater.media.dash.DashFormat;
import dev.headwater.media.dash.MpdWriter;
import dev.headwater.record.Catalogue;
import dev.headwater.timeline.LiveStream;
import dev.headwater.timeline.StreamRegistry;
import dev.headwater.timeline.StreamSnapshot;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;

/**
 * LL-DASH: the MPD of a session (by name: the newest session, like the multivariant playlist) and
 * the clock its UTCTiming points at. The MPD is rendered once per snapshot and URL form, like the
 * playlists; media requests go to the {@link MediaHandler}, which serves the same segments to HLS
 * and DASH clients.
 */
final class DashHandler {
  static final String CONTENT_TYPE = "application/dash+xml";

  private final StreamRegistry registry;
  private final MpdAssembler assembler;
  private final CachePolicy cache;
  private final Clock clock;
  // Accept-Encoding, and Origin when the CORS answer depends on it.
  private final CharSequence vary;

  /** The recordings, for the DVR reach of a live MPD; null: no DVR. */
  private final Catalogue recordings;

  DashHandler(
      StreamRegistry registry, MpdAssembler assembler, CachePolicy cache, Clock clock, Cors cors) {
    this(registry, assembler, cache, clock, cors, null);
  }

  DashHandler(
      StreamRegistry registry,
      MpdAssembler assembler,
      CachePolicy cache,
      Clock clock,
      Cors cors,
      Catalogue recordings) {
    this.recordings = recordings;
    this.vary = cors.varyWithAcceptEncoding();
    this.registry = registry;
    this.assembler = assembler;
    this.cache = cache;
    this.clock = clock;
  }

  /** GET /live/:name/manifest.mpd — the newest session of the name. */
  void latest(RoutingContext rc) {
    LiveStream stream = registry.latest(rc.pathParam("name"));
    respond(rc, stream, true);
  }

  /** GET /live/:name/:session/manifest.mpd */
  void session(RoutingContext rc) {
    LiveStream stream = registry.session(rc.pathParam("session"));
    if (stream != null && !stream.name().equals(rc.pathParam("name"))) {
      stream = null;
    }
    respond(rc, stream, false);
  }

  private void respond(RoutingContext rc, LiveStream stream, boolean byName) {
    StreamSnapshot s = stream == null ? null : stream.snapshot();
    HttpServerResponse res = rc.response();
    if (s == null || !s.ready()) {
      PlaylistHandler.error(
          res, 404, cache.notFound(), "no such live stream (or it is still starting)");
      return;
    }
    String prefix = byName ? s.sessionId() + "/" : "";
    RenderedPlaylist text;
    try {
      text =
          s.memo(
              byName ? "mpd|name" : "mpd",
              k ->
                  RenderedPlaylist.of(
                      MpdWriter.write(
                          assembler.mpd(
                              s,
                              prefix,
                              clock.instant(),
                              recordings == null
                                  ? null
                                  : recordings.get(s.stream(), s.sessionId())))));
    } catch (IllegalArgumentException e) {
      PlaylistHandler.error(res, 500, cache.noStore(), "MPD invariant broken: " + e.getMessage());
      return;
    }
    // A live MPD changes with the window and when a Period or the end is announced: cached as
    // briefly as a live playlist (a CDN collapses a herd of reloads into one). A static MPD is
    // final.
    boolean gzip = Gzip.accepted(rc.request().getHeader(H_ACCEPT_ENCODING));
    res.putHeader(H_CONTENT_TYPE, V_MPD)
        .putHeader(H_CACHE_CONTROL, s.ended() ? cache.endedPlaylist() : cache.livePlaylist())
        .putHeader(H_VARY, vary);
    if (gzip) {
      res.putHeader(H_CONTENT_ENCODING, V_GZIP);
    }
    res.end(gzip ? text.gzipped() : text.plain());
  }

  /**
   * GET /time — the origin's clock for UTCTiming {@code urn:mpeg:dash:utc:http-iso:2014} (23009-1
   * §5.8.5.7): an ISO 8601 date-time with milliseconds. Never cached: a stored time is a wrong
   * time.
   */
  void time(RoutingContext rc) {
    rc.response()
        .putHeader(H_CONTENT_TYPE, "text/plain; charset=utf-8")
        .putHeader(H_CACHE_CONTROL, CachePolicy.NO_STORE)
        .end(DashFormat.dateTime(clock.instant()));
  }

  private static final CharSequence H_CONTENT_TYPE = HttpHeaders.createOptimized("content-type");
  private static final CharSequence H_CACHE_CONTROL = HttpHeaders.createOptimized("cache-control");
  private static final CharSequence H_VARY = HttpHeaders.createOptimized("vary");
  private static final CharSequence H_CONTENT_ENCODING =
      HttpHeaders.createOptimized("content-encoding");
  private static final CharSequence H_ACCEPT_ENCODING =
      HttpHeaders.createOptimized("Accept-Encoding");
  private static final CharSequence V_MPD = HttpHeaders.createOptimized(CONTENT_TYPE);
  private static final CharSequence V_GZIP = HttpHeaders.createOptimized("gzip");
}
