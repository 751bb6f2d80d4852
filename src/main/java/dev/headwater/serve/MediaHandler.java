package dev.headwater.serve;

import dev.headwater.timeline.GrowingSegment;
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
import java.util.function.Function;

/**
 * Init sections, segments and parts. Complete ones are served from memory at once: every response
 * writes the same shared buffers (no copy per viewer). A segment still being produced, the next
 * one, and the preload-hinted part are followed by a streaming response ({@link
 * StreamingResponses}): the bytes already produced at once, then each CMAF chunk as it is written
 * (RFC 8216bis 6.2.6 allows a server to send a hinted part this way; LL-DASH players ask for the
 * segment in progress).
 */
final class MediaHandler implements StreamingResponses.Answers {
  private static final CharSequence SEGMENT_TYPE = HttpHeaders.createOptimized("video/iso.segment");
  private static final CharSequence INIT_TYPE = HttpHeaders.createOptimized("video/mp4");

  private final StreamRegistry registry;
  private final CachePolicy cache;
  private final StreamingResponses streaming;
  private final RecordedMedia recorded;

  MediaHandler(
      StreamRegistry registry,
      CachePolicy cache,
      Function<StreamingResponses.Answers, StreamingResponses> streaming) {
    this(registry, cache, streaming, null);
  }

  /**
   * @param recorded where media older than the in-memory window is found for DVR viewers, or null
   */
  MediaHandler(
      StreamRegistry registry,
      CachePolicy cache,
      Function<StreamingResponses.Answers, StreamingResponses> streaming,
      RecordedMedia recorded) {
    this.registry = registry;
    this.cache = cache;
    this.recorded = recorded;
    this.mediaCacheControl = cache.media();
    this.streaming = streaming.apply(this);
  }

  private final CharSequence mediaCacheControl;

  StreamingResponses streaming() {
    return streaming;
  }

  /** GET /live/:name/:session/:rendition/:file */
  void handle(RoutingContext rc) {
    handle(
        rc.request(),
        rc.pathParam("name"),
        rc.pathParam("session"),
        rc.pathParam("rendition"),
        rc.pathParam("file"));
  }

  /** The same, path already split ({@link LiveDispatch} calls it directly). */
  void handle(HttpServerRequest req, String name, String session, String rendition, String file) {
    LiveStream stream = registry.session(session);
    if (stream == null || !stream.name().equals(name)) {
      notFound(req.response());
      return;
    }
    StreamSnapshot s = stream.snapshot();
    RenditionSnapshot r = s.rendition(rendition);
    if (file.startsWith("init-") && file.endsWith(".mp4")) {
      Integer id = number(file, 5, 4);
      InitSection init = r == null || id == null ? null : r.inits().get(id);
      if (init == null) {
        if (!fromRecording(req, name, session, rendition, file)) {
          notFound(req.response());
        }
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
      serveSegment(req, stream, r, name, rendition, n, file);
    } else if (file.charAt(0) == 'p') {
      servePart(req, stream, s, rendition, n);
    } else {
      notFound(req.response());
    }
  }

  /** DVR: a segment or init section memory no longer holds, from the session's recording. */
  private boolean fromRecording(
      HttpServerRequest req, String name, String session, String rendition, String file) {
    return recorded != null
        && recorded.serve(req, name, session, rendition, file, mediaCacheControl);
  }

  private void serveSegment(
      HttpServerRequest req,
      LiveStream stream,
      RenditionSnapshot r,
      String name,
      String rendition,
      long msn,
      String file) {
    TimelineSegment seg = r == null ? null : r.segment(msn);
    if (seg != null && seg.complete()) {
      if (req.method() == HttpMethod.HEAD) {
        headers(req.response(), SEGMENT_TYPE, seg.byteLength());
        req.response().end();
      } else {
        segment(req.response(), seg);
      }
      return;
    }
    // The segment in production, or the one after it (a player whose clock runs a little ahead):
    // followed as it is written. Anything else does not exist (yet, or any more).
    GrowingSegment g = r == null ? null : r.growing();
    long live = g != null ? g.msn() : r == null || r.last() == null ? -1 : r.last().msn() + 1;
    boolean followable = r != null && !r.ended() && live >= 0 && (msn == live || msn == live + 1);
    if (!followable) {
      if (!fromRecording(req, name, stream.sessionId(), rendition, file)) {
        notFound(req.response());
      }
    } else if (req.method() == HttpMethod.HEAD) {
      streamingHeaders(req.response());
      req.response().end();
    } else {
      streaming.segment(req, stream, rendition, msn);
    }
  }

  private void servePart(
      HttpServerRequest req, LiveStream stream, StreamSnapshot s, String rendition, long sequence) {
    RenditionSnapshot r = s.rendition(rendition);
    TimelinePart part = r == null ? null : r.part(sequence);
    if (part != null) {
      if (req.method() == HttpMethod.HEAD) {
        headers(req.response(), SEGMENT_TYPE, part.bytes().length());
        req.response().end();
      } else {
        part(req.response(), part);
      }
      return;
    }
    boolean hinted = r != null && !r.ended() && sequence == r.nextPartSequence();
    boolean beforeFirst =
        r == null && stream.rendition(rendition) != null && sequence == 0 && !s.ended();
    if (!hinted && !beforeFirst) {
      // RFC 8216bis 6.2.6: SHOULD answer 404 for what is neither present nor hinted.
      notFound(req.response());
    } else if (req.method() == HttpMethod.HEAD) {
      streamingHeaders(req.response());
      req.response().end();
    } else {
      streaming.part(req, stream, rendition, sequence);
    }
  }

  @Override
  public void part(HttpServerResponse res, TimelinePart part) {
    if (res.closed() || res.ended()) {
      return;
    }
    headers(res, SEGMENT_TYPE, part.bytes().length());
    res.end(part.bytes());
  }

  @Override
  public void segment(HttpServerResponse res, TimelineSegment seg) {
    if (res.closed() || res.ended()) {
      return;
    }
    headers(res, SEGMENT_TYPE, seg.byteLength());
    for (TimelinePart p : seg.parts()) {
      res.write(p.bytes());
    }
    res.end();
  }

  /**
   * A streaming response has no length; its body is the complete object (or it is reset), so it is
   * cached like one.
   */
  @Override
  public void streamingHeaders(HttpServerResponse res) {
    res.putHeader(H_CONTENT_TYPE, SEGMENT_TYPE).putHeader(H_CACHE_CONTROL, mediaCacheControl);
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

  @Override
  public void notFound(HttpServerResponse res) {
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
