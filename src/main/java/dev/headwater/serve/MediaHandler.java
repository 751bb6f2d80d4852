package dev.headwater.serve;

import dev.headwater.timeline.InitSection;
import dev.headwater.timeline.LiveStream;
import dev.headwater.timeline.RenditionSnapshot;
import dev.headwater.timeline.StreamRegistry;
import dev.headwater.timeline.StreamSnapshot;
import dev.headwater.timeline.TimelinePart;
import dev.headwater.timeline.TimelineSegment;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * Init sections, segments and parts, served from memory: every response writes the same shared
 * buffers (no copy per viewer). A request for the preload-hinted part is held until the part is
 * complete, then sent whole at link speed (RFC 8216bis 6.2.6: no byte of a part before all of it
 * can go).
 */
final class MediaHandler {
  private static final CharSequence SEGMENT_TYPE = HttpHeaders.createOptimized("video/iso.segment");
  private static final CharSequence INIT_TYPE = HttpHeaders.createOptimized("video/mp4");

  private final StreamRegistry registry;
  private final WaiterRegistry waiters;
  private final CachePolicy cache;
  private final long timeoutMillis;

  MediaHandler(
      StreamRegistry registry, WaiterRegistry waiters, CachePolicy cache, long timeoutMillis) {
    this.registry = registry;
    this.waiters = waiters;
    this.cache = cache;
    this.timeoutMillis = timeoutMillis;
    this.mediaCacheControl = cache.media();
  }

  private final CharSequence mediaCacheControl;

  /** GET /live/:name/:session/:rendition/:file */
  void handle(RoutingContext rc) {
    HttpServerRequest req = rc.request();
    LiveStream stream = registry.session(rc.pathParam("session"));
    String rendition = rc.pathParam("rendition");
    String file = rc.pathParam("file");
    if (stream == null || !stream.name().equals(rc.pathParam("name"))) {
      notFound(req.response());
      return;
    }
    StreamSnapshot s = stream.snapshot();
    RenditionSnapshot r = s.rendition(rendition);
    if (file.startsWith("init-") && file.endsWith(".mp4")) {
      Integer id = number(file, 5, 4);
      InitSection init = r == null || id == null ? null : r.inits().get(id);
      if (init == null) {
        notFound(req.response());
        return;
      }
      headers(req.response(), INIT_TYPE, init.bytes().length());
      end(req, init.bytes());
      return;
    }
    Long n = file.endsWith(".m4s") && file.length() > 5 ? longNumber(file, 1, 4) : null;
    if (n == null) {
      notFound(req.response());
      return;
    }
    if (file.charAt(0) == 's') {
      TimelineSegment seg = r == null ? null : r.segment(n);
      if (seg == null || !seg.complete()) {
        notFound(req.response());
        return;
      }
      sendSegment(req, seg);
    } else if (file.charAt(0) == 'p') {
      servePart(req, stream, s, rendition, n);
    } else {
      notFound(req.response());
    }
  }

  private void servePart(
      HttpServerRequest req, LiveStream stream, StreamSnapshot s, String rendition, long sequence) {
    RenditionSnapshot r = s.rendition(rendition);
    TimelinePart part = r == null ? null : r.part(sequence);
    if (part != null) {
      sendPart(req, part);
      return;
    }
    boolean hinted = r != null && !r.ended() && sequence == r.nextPartSequence();
    boolean beforeFirst =
        r == null && stream.rendition(rendition) != null && sequence == 0 && !s.ended();
    if (!hinted && !beforeFirst) {
      // RFC 8216bis 6.2.6: SHOULD answer 404 for what is neither present nor hinted.
      notFound(req.response());
      return;
    }
    Waiter w =
        new Waiter(
            stream.sessionId(),
            stream.meters(),
            rendition,
            snap -> {
              RenditionSnapshot rs = snap.rendition(rendition);
              return rs != null && (rs.ended() || rs.nextPartSequence() > sequence);
            },
            snap -> {
              RenditionSnapshot rs = snap.rendition(rendition);
              TimelinePart p = rs == null ? null : rs.part(sequence);
              if (p == null) {
                notFound(req.response());
              } else {
                sendPart(req, p);
              }
            });
    waiters.parkResponse(w, timeoutMillis, req, "hinted part did not appear");
  }

  private void sendPart(HttpServerRequest req, TimelinePart part) {
    HttpServerResponse res = req.response();
    if (res.closed() || res.ended()) {
      return;
    }
    headers(res, SEGMENT_TYPE, part.bytes().length());
    end(req, part.bytes());
  }

  private void sendSegment(HttpServerRequest req, TimelineSegment seg) {
    HttpServerResponse res = req.response();
    headers(res, SEGMENT_TYPE, seg.byteLength());
    if (req.method() == HttpMethod.HEAD) {
      res.end();
      return;
    }
    for (TimelinePart p : seg.parts()) {
      res.write(p.bytes());
    }
    res.end();
  }

  // Lower case: HTTP/2 requires it (Vert.x would lower-case a copy per response) and HTTP/1.1
  // ignores case.
  private static final CharSequence H_CONTENT_TYPE = HttpHeaders.createOptimized("content-type");
  private static final CharSequence H_CACHE_CONTROL = HttpHeaders.createOptimized("cache-control");
  private static final CharSequence H_CONTENT_LENGTH =
      HttpHeaders.createOptimized("content-length");

  private void headers(HttpServerResponse res, CharSequence type, long length) {
    res.putHeader(H_CONTENT_TYPE, type)
        .putHeader(H_CACHE_CONTROL, mediaCacheControl)
        .putHeader(H_CONTENT_LENGTH, Long.toString(length));
  }

  private static void end(HttpServerRequest req, io.vertx.core.buffer.Buffer bytes) {
    if (req.method() == HttpMethod.HEAD) {
      req.response().end();
    } else {
      req.response().end(bytes);
    }
  }

  private void notFound(HttpServerResponse res) {
    PlaylistHandler.error(res, 404, cache.notFound(), "not found");
  }

  private static Integer number(String file, int prefix, int suffix) {
    Long n = longNumber(file, prefix, suffix);
    return n == null || n > Integer.MAX_VALUE ? null : n.intValue();
  }

  private static Long longNumber(String file, int prefix, int suffix) {
    String digits = file.substring(prefix, file.length() - suffix);
    if (digits.isEmpty() || digits.length() > 18) {
      return null;
    }
    for (int i = 0; i < digits.length(); i++) {
      if (!Character.isDigit(digits.charAt(i))) {
        return null;
      }
    }
    return Long.parseLong(digits);
  }
}
