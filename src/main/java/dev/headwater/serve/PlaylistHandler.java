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
 * updates (6.2.5.1). A blocking request that cannot be answered yet is parked in the
 * {@link WaiterRegistry}; it holds no thread.
 */
final class PlaylistHandler {
  private static final Logger LOG = LoggerFactory.getLogger(PlaylistHandler.class);
  static final String CONTENT_TYPE = "application/vnd.apple.mpegurl";

  private final StreamRegistry registry;
  private final PlaylistAssembler assembler;
  private final WaiterRegistry waiters;
  private final CachePolicy cache;
  private final double skipBoundary;

  PlaylistHandler(StreamRegistry registry, PlaylistAssembler assembler, WaiterRegistry waiters, CachePolicy cache, double skipBoundary) {
    this.registry = registry;
    this.assembler = assembler;
    this.waiters = waiters;
    this.cache = cache;
    this.skipBoundary = skipBoundary;
  }

  /** GET /live/:name/master.m3u8 — the newest session of the name. */
  void multivariant(RoutingContext rc) {
    LiveStream stream = registry.latest(rc.pathParam("name"));
    StreamSnapshot s = stream == null ? null : stream.snapshot();
    if (s == null || !s.ready()) {
      error(rc.response(), 404, cache.notFound(), "no such live stream (or it is still starting)");
      return;
    }
    RenderedPlaylist text = s.memo("master", k -> RenderedPlaylist.of(MultivariantPlaylistWriter.write(assembler.multivariant(s))));
    send(rc.request(), text, s.ended() ? cache.endedPlaylist() : cache.multivariant());
  }

  /** GET /live/:name/:session/:rendition/index.m3u8 */
  void media(RoutingContext rc) {
    HttpServerRequest req = rc.request();
    LiveStream stream = registry.session(rc.pathParam("session"));
    String rendition = rc.pathParam("rendition");
    if (stream == null || !stream.name().equals(rc.pathParam("name")) || stream.rendition(rendition) == null) {
      error(req.response(), 404, cache.notFound(), "no such stream or rendition");
      return;
    }
    DirectiveParse parsed = DeliveryDirectives.parse(req.getParam("_HLS_msn"), req.getParam("_HLS_part"), req.getParam("_HLS_skip"));
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
    if (decision instanceof Decision.Ready) {
      respond(req, s, rendition, d, blocking);
      return;
    }
    Waiter w = new Waiter(
        stream.sessionId(),
        stream.meters(),
        rendition,
        snap -> {
          RenditionSnapshot rs = snap.rendition(rendition);
          return rs != null && (rs.ended() || BlockingDecision.satisfied(d, assembler.position(rs)));
        },
        snap -> respond(req, snap, rendition, d, true));
    // RFC 8216bis 6.2.5.2: SHOULD answer 503 after blocking for more than three target durations.
    waiters.parkResponse(w, assembler.blockingTimeoutMillis(), req.response(),
        "the requested part did not appear within 3 target durations");
  }

  private void respond(HttpServerRequest req, StreamSnapshot s, String rendition, DeliveryDirectives d, boolean blocking) {
    if (req.response().closed() || req.response().ended()) {
      return;
    }
    RenditionSnapshot r = s.rendition(rendition);
    if (r == null || r.isEmpty()) {
      error(req.response(), 404, cache.notFound(), "rendition has no media");
      return;
    }
    boolean skip = d.skip() != SkipRequest.NO && skipBoundary > 0 && !r.ended();
    RenderedPlaylist text;
    try {
      text = s.memo(rendition + (skip ? "|skip" : ""), k -> {
        MediaPlaylist full = assembler.media(s, r);
        return RenderedPlaylist.of(MediaPlaylistWriter.write(skip ? DeltaUpdate.apply(full, skipBoundary) : full));
      });
    } catch (IllegalArgumentException e) {
      LOG.error("Stream {} rendition {}: cannot build a valid playlist: {}", s.stream(), rendition, e.getMessage());
      error(req.response(), 500, cache.noStore(), "playlist invariant broken: " + e.getMessage());
      return;
    }
    String cc = r.ended() ? cache.endedPlaylist() : blocking ? cache.blockingPlaylist() : cache.livePlaylist();
    send(req, text, cc);
  }

  // Pre-encoded header names and values: a wake pass writes thousands of identical responses.
  private static final CharSequence H_CONTENT_TYPE = HttpHeaders.createOptimized("Content-Type");
  private static final CharSequence H_CACHE_CONTROL = HttpHeaders.createOptimized("Cache-Control");
  private static final CharSequence H_VARY = HttpHeaders.createOptimized("Vary");
  private static final CharSequence H_CONTENT_ENCODING = HttpHeaders.createOptimized("Content-Encoding");
  private static final CharSequence V_PLAYLIST = HttpHeaders.createOptimized(CONTENT_TYPE);
  private static final CharSequence V_ACCEPT_ENCODING = HttpHeaders.createOptimized("Accept-Encoding");
  private static final CharSequence V_GZIP = HttpHeaders.createOptimized("gzip");

  private static void send(HttpServerRequest req, RenderedPlaylist text, String cacheControl) {
    HttpServerResponse res = req.response();
    boolean gz = Gzip.accepted(req.getHeader(V_ACCEPT_ENCODING));
    res.putHeader(H_CONTENT_TYPE, V_PLAYLIST)
        .putHeader(H_CACHE_CONTROL, cacheControl)
        .putHeader(H_VARY, V_ACCEPT_ENCODING);
    if (gz) {
      res.putHeader(H_CONTENT_ENCODING, V_GZIP);
    }
    res.end(gz ? text.gzipped() : text.plain());
  }

  static void error(HttpServerResponse res, int status, String cacheControl, String message) {
    if (res.ended() || res.closed()) {
      return;
    }
    res.setStatusCode(status)
        .putHeader("Content-Type", "text/plain; charset=utf-8")
        .putHeader("Cache-Control", cacheControl)
        .end(message + "\n");
  }
}
