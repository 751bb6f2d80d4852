package dev.headwater.serve;

import dev.headwater.media.hls.BlockingDecision;
import dev.headwater.media.hls.Decision;
import dev.headwater.media.hls.DeliveryDirectives;
import dev.headwater.media.hls.DeltaUpdate;
import dev.headwater.media.hls.DirectiveError;
import dev.headwater.media.hls.DirectiveParse;
import dev.headwater.media.hls.MediaPlaylist;
import dev.headwater.media.hls.MediaPlaylistWriter;
import dev.headwater.media.hls.MultivariantPlaylistWriter;
import dev.headwater.media.hls.SkipRequest;
import dev.headwater.timeline.LiveStream;
import dev.headwater.timeline.RenditionSnapshot;
import dev.headwater.timeline.StreamRegistry;
import dev.headwater.timeline.StreamSnapshot;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Multivariant and media playlists, with blocking playlist reload (RFC 8216bis 6.2.5.2) and delta
 * updates (6.2.5.1). A blocking request that cannot be answered yet is parked in the {@link
 * WaiterRegistry}; it holds no thread.
 */
final class PlaylistHandler {
  private static final Logger LOG = LoggerFactory.getLogger(PlaylistHandler.class);
  static final String CONTENT_TYPE = "application/vnd.apple.mpegurl";

  private final StreamRegistry registry;
  private final PlaylistAssembler assembler;
  private final WaiterRegistry waiters;
  private final CachePolicy cache;
  private final double skipBoundary;
  // Accept-Encoding, and Origin when the CORS answer depends on it.
  private final CharSequence vary;

  PlaylistHandler(
      StreamRegistry registry,
      PlaylistAssembler assembler,
      WaiterRegistry waiters,
      CachePolicy cache,
      double skipBoundary,
      Cors cors) {
    this.vary = cors.varyWithAcceptEncoding();
    this.registry = registry;
    this.assembler = assembler;
    this.waiters = waiters;
    this.cache = cache;
    this.skipBoundary = skipBoundary;
  }

  /** GET /live/:name/master.m3u8 — the newest session of the name. */
  void multivariant(RoutingContext rc) {
    multivariant(rc.request(), rc.pathParam("name"));
  }

  /** The multivariant playlist of stream {@code name} ({@link LiveDispatch} calls it directly). */
  void multivariant(HttpServerRequest req, String name) {
    LiveStream stream = registry.latest(name);
    StreamSnapshot s = stream == null ? null : stream.snapshot();
    if (s == null || !s.ready()) {
      error(req.response(), 404, cache.notFound(), "no such live stream (or it is still starting)");
      return;
    }
    RenderedPlaylist text =
        s.memo(
            "master",
            k -> RenderedPlaylist.of(MultivariantPlaylistWriter.write(assembler.multivariant(s))));
    send(
        req.response(),
        text,
        s.ended() ? cache.endedPlaylist() : cache.multivariant(),
        Gzip.accepted(req.getHeader(V_ACCEPT_ENCODING)));
  }

  /** GET /live/:name/:session/:rendition/index.m3u8 */
  void media(RoutingContext rc) {
    media(rc.request(), rc.pathParam("name"), rc.pathParam("session"), rc.pathParam("rendition"));
  }

  /** A media playlist ({@link LiveDispatch} calls it directly). */
  void media(HttpServerRequest req, String name, String session, String rendition) {
    LiveStream stream = registry.session(session);
    if (stream == null
        || !stream.name().equals(name)
        || (stream.rendition(rendition) == null
            && stream.snapshot().rendition(rendition) == null)) {
      error(req.response(), 404, cache.notFound(), "no such stream or rendition");
      return;
    }
    DirectiveParse parsed =
        DeliveryDirectives.parse(
            req.getParam("_HLS_msn"), req.getParam("_HLS_part"), req.getParam("_HLS_skip"));
    if (parsed instanceof DirectiveError err) {
      error(req.response(), err.status(), cache.noStore(), err.message());
      return;
    }
    DeliveryDirectives d = (DeliveryDirectives) parsed;
    StreamSnapshot s = stream.snapshot();
    RenditionSnapshot r = s.rendition(rendition);
    boolean blocking = d.msn() != null;
    if (!blocking && (r == null || r.isEmpty())) {
      error(req.response(), 404, cache.notFound(), "rendition has no media yet");
      return;
    }
    Decision decision = BlockingDecision.decide(d, assembler.position(r));
    if (decision instanceof Decision.BadRequest bad) {
      error(req.response(), 400, cache.noStore(), bad.reason());
      return;
    }
    MediaRequest m =
        new MediaRequest(
            req,
            rendition,
            d.skip() != SkipRequest.NO && skipBoundary > 0,
            blocking,
            Gzip.accepted(req.getHeader(V_ACCEPT_ENCODING)));
    if (decision instanceof Decision.Ready) {
      respond(m, s);
      return;
    }
    Waiter w =
        new Waiter(
            stream.sessionId(),
            stream.meters(),
            rendition,
            snap -> {
              RenditionSnapshot rs = snap.rendition(rendition);
              return rs != null
                  && (rs.ended() || BlockingDecision.satisfied(d, assembler.position(rs)));
            },
            snap -> respond(m, snap));
    // RFC 8216bis 6.2.5.2: SHOULD answer 503 after blocking for more than three target durations.
    waiters.parkResponse(
        w,
        assembler.blockingTimeoutMillis(),
        req,
        "the requested part did not appear within 3 target durations");
  }

  /**
   * A media playlist request as settled on arrival, so that answering it (perhaps in a wake pass of
   * thousands) only looks up the rendered playlist and writes it.
   */
  private record MediaRequest(
      HttpServerRequest req,
      String rendition,
      boolean skip,
      boolean blocking,
      boolean gzip,
      String skipKey) {
    MediaRequest(
        HttpServerRequest req, String rendition, boolean skip, boolean blocking, boolean gzip) {
      this(req, rendition, skip, blocking, gzip, rendition + "|skip");
    }
  }

  private void respond(MediaRequest m, StreamSnapshot s) {
    HttpServerResponse res = m.req().response();
    if (res.closed() || res.ended()) {
      return;
    }
    RenditionSnapshot r = s.rendition(m.rendition());
    if (r == null || r.isEmpty()) {
      error(res, 404, cache.notFound(), "rendition has no media");
      return;
    }
    // Delta updates are for live reloads; an ended playlist is sent whole.
    boolean skip = m.skip() && !r.ended();
    RenderedPlaylist text;
    try {
      text =
          s.memo(
              skip ? m.skipKey() : m.rendition(),
              k -> {
                MediaPlaylist full = assembler.media(s, r);
                return RenderedPlaylist.of(
                    MediaPlaylistWriter.write(skip ? DeltaUpdate.apply(full, skipBoundary) : full));
              });
    } catch (IllegalArgumentException e) {
      LOG.error(
          "Stream {} rendition {}: cannot build a valid playlist: {}",
          s.stream(),
          m.rendition(),
          e.getMessage());
      error(res, 500, cache.noStore(), "playlist invariant broken: " + e.getMessage());
      return;
    }
    CharSequence cc =
        r.ended()
            ? cache.endedPlaylist()
            : m.blocking() ? cache.blockingPlaylist() : cache.livePlaylist();
    send(res, text, cc, m.gzip());
  }

  // Pre-encoded header names and values: a wake pass writes thousands of identical responses. Names
  // in
  // lower case: HTTP/2 requires it (Vert.x would lower-case a copy per response), HTTP/1.1 ignores
  // case.
  private static final CharSequence H_CONTENT_TYPE = HttpHeaders.createOptimized("content-type");
  private static final CharSequence H_CACHE_CONTROL = HttpHeaders.createOptimized("cache-control");
  private static final CharSequence H_VARY = HttpHeaders.createOptimized("vary");
  private static final CharSequence H_CONTENT_ENCODING =
      HttpHeaders.createOptimized("content-encoding");
  private static final CharSequence V_PLAYLIST = HttpHeaders.createOptimized(CONTENT_TYPE);
  private static final CharSequence V_ACCEPT_ENCODING =
      HttpHeaders.createOptimized("Accept-Encoding");
  private static final CharSequence V_GZIP = HttpHeaders.createOptimized("gzip");

  private void send(
      HttpServerResponse res, RenderedPlaylist text, CharSequence cacheControl, boolean gz) {
    res.putHeader(H_CONTENT_TYPE, V_PLAYLIST)
        .putHeader(H_CACHE_CONTROL, cacheControl)
        .putHeader(H_VARY, vary);
    if (gz) {
      res.putHeader(H_CONTENT_ENCODING, V_GZIP);
    }
    res.end(gz ? text.gzipped() : text.plain());
  }

  static void error(HttpServerResponse res, int status, CharSequence cacheControl, String message) {
    if (res.ended() || res.closed()) {
      return;
    }
    res.setStatusCode(status)
        .putHeader(H_CONTENT_TYPE, "text/plain; charset=utf-8")
        .putHeader(H_CACHE_CONTROL, cacheControl)
        .end(message + "\n");
  }
}
