package dev.headwater.serve;

import dev.headwater.metrics.Metrics;
import dev.headwater.metrics.Metrics.StreamCut;
import dev.headwater.metrics.Metrics.WaiterRefusal;
import dev.headwater.timeline.GrowingSegment;
import dev.headwater.timeline.LiveStream;
import dev.headwater.timeline.RenditionSnapshot;
import dev.headwater.timeline.TimelinePart;
import dev.headwater.timeline.TimelineSegment;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;

/**
 * The responses of one HTTP verticle instance that follow media still being produced (so only its
 * event loop touches them): a request for the segment in progress (LL-DASH with {@code
 * availabilityTimeComplete="false"}, RFC 8216bis 6.2.6) or for the preload-hinted part is answered
 * at once with chunked transfer (HTTP/1.1) or DATA frames (HTTP/2): the chunks already produced,
 * then each CMAF chunk as FFmpeg writes it, until the segment or part is complete. The body is then
 * byte for byte the complete object, so a cache may keep it; a response that cannot finish is reset
 * (no terminating chunk, or RST_STREAM), so no cache keeps a truncated one.
 *
 * <p>Backpressure: a response writes only while its connection is under its outbound budget ({@code
 * writeQueueFull}, the budget being {@code http.writeBufferBytes}); past it, it waits for the
 * drain. Nothing is copied per viewer: every response writes the same chunk buffers and keeps an
 * index. A response whose oldest unwritten chunk is older than {@code http.streamMaxLagSeconds} is
 * cut and counted: its client reads slower than the stream plays.
 *
 * <p>Wake-ups: the owner signals chunks of a segment someone follows ({@code
 * headwater.timeline.chunk}) and every snapshot change ({@code headwater.timeline.updated}); both
 * call {@link #pump(String)} for the session. One periodic {@link #sweep} applies the deadlines.
 * Each response counts against the {@link WaiterQuota} like a parked request.
 */
final class StreamingResponses {
  /** Period of the deadline sweep. */
  static final long SWEEP_MILLIS = 100;

  /** How a complete object, or its absence, is answered (by {@link MediaHandler}). */
  interface Answers {
    void segment(HttpServerResponse res, TimelineSegment segment);

    void part(HttpServerResponse res, TimelinePart part);

    void notFound(HttpServerResponse res);

    /** The headers of a streaming response (type and caching; no length). */
    void streamingHeaders(HttpServerResponse res);
  }

  private final Vertx vertx;
  private final Metrics metrics;
  private final WaiterQuota quota;
  private final Answers answers;
  private final long holdNanos;
  private final long maxLagNanos;
  private final Map<String, ArrayList<ChunkStreamer>> bySession = new HashMap<>();

  /** Appended time of the oldest chunk written in the current pump pass. */
  private long oldestWritten = Long.MAX_VALUE;

  /**
   * @param holdMillis how long a request waits for its segment or part to start, and how long a
   *     started one waits for its next chunk
   */
  StreamingResponses(
      Vertx vertx,
      Metrics metrics,
      WaiterQuota quota,
      Answers answers,
      long holdMillis,
      double maxLagSeconds) {
    this.vertx = vertx;
    this.metrics = metrics;
    this.quota = quota;
    this.answers = answers;
    this.holdNanos = holdMillis * 1_000_000;
    this.maxLagNanos = Math.round(maxLagSeconds * 1e9);
  }

  /** Starts the deadline sweep on the calling verticle's context. */
  void startSweeping() {
    vertx.setPeriodic(SWEEP_MILLIS, id -> sweep(System.nanoTime()));
  }

  /** Follows segment {@code msn} of {@code rendition} (being produced, or about to start). */
  void segment(HttpServerRequest req, LiveStream stream, String rendition, long msn) {
    start(
        req,
        new ChunkStreamer(
            stream, rendition, msn, -1, req.response(), req.connection(), isHttp2(req)));
  }

  /** Follows part {@code sequence} of {@code rendition} (the preload hint). */
  void part(HttpServerRequest req, LiveStream stream, String rendition, long sequence) {
    start(
        req,
        new ChunkStreamer(
            stream, rendition, -1, sequence, req.response(), req.connection(), isHttp2(req)));
  }

  private static boolean isHttp2(HttpServerRequest req) {
    return req.version() == HttpVersion.HTTP_2;
  }

  private void start(HttpServerRequest req, ChunkStreamer st) {
    ConnectionGuard guard = ConnectionGuard.of(req.connection());
    st.guard = guard;
    st.account = guard == null ? null : guard.account;
    WaiterRefusal refused = st.account == null ? null : quota.acquire(st.account);
    if (refused != null) {
      metrics.waiterRejected(refused);
      st.response.putHeader(H_RETRY_AFTER, RETRY_AFTER);
      PlaylistHandler.error(
          st.response, 503, CachePolicy.NO_STORE, WaiterRegistry.refusalMessage(refused));
      return;
    }
    metrics.streamStarted();
    long now = System.nanoTime();
    st.deadlineNanos = now + holdNanos;
    bySession.computeIfAbsent(st.stream.sessionId(), k -> new ArrayList<>()).add(st);
    st.response.closeHandler(v -> finish(st));
    pump(st, now);
  }

  /** Something changed in {@code sessionId}'s timeline: every response following it moves on. */
  void pump(String sessionId) {
    ArrayList<ChunkStreamer> list = bySession.get(sessionId);
    if (list == null) {
      return;
    }
    long now = System.nanoTime();
    oldestWritten = Long.MAX_VALUE;
    // By index: a pump may end a response, whose close handler only marks it done.
    for (int i = 0; i < list.size(); i++) {
      pump(list.get(i), now);
    }
    compact(sessionId, list);
    if (oldestWritten != Long.MAX_VALUE) {
      // Appended → written to the last response of the pass: the server's share of a viewer's
      // delay, whatever the client's own speed.
      metrics.streamingDelayNanos(System.nanoTime() - oldestWritten);
    }
  }

  /** Deadlines: a wait that found nothing, a stream with no new chunk, a client too far behind. */
  void sweep(long now) {
    for (var it = bySession.entrySet().iterator(); it.hasNext(); ) {
      ArrayList<ChunkStreamer> list = it.next().getValue();
      for (int i = 0; i < list.size(); i++) {
        ChunkStreamer st = list.get(i);
        switch (st.state) {
          case WAITING -> {
            if (now - st.deadlineNanos >= 0) {
              finish(st);
              metrics.waiterTimeout();
              PlaylistHandler.error(
                  st.response, 503, CachePolicy.NO_STORE, "segment or part did not start");
            }
          }
          case STREAMING -> {
            GrowingSegment g = st.segment;
            if (st.index < g.count() && now - g.chunk(st.index).appendedNanos() > maxLagNanos) {
              cut(st, StreamCut.LAG);
            } else if (now - st.deadlineNanos >= 0) {
              cut(st, StreamCut.STALLED);
            }
          }
          case DONE -> {}
        }
      }
      list.removeIf(st -> st.state == ChunkStreamer.State.DONE);
      if (list.isEmpty()) {
        it.remove();
      }
    }
  }

  /** Responses following media now (tests). */
  int size() {
    int n = 0;
    for (ArrayList<ChunkStreamer> l : bySession.values()) {
      for (ChunkStreamer st : l) {
        n += st.state == ChunkStreamer.State.DONE ? 0 : 1;
      }
    }
    return n;
  }

  private void compact(String sessionId, ArrayList<ChunkStreamer> list) {
    list.removeIf(st -> st.state == ChunkStreamer.State.DONE);
    if (list.isEmpty()) {
      bySession.remove(sessionId);
    }
  }

  private void pump(ChunkStreamer st, long now) {
    if (st.state == ChunkStreamer.State.DONE) {
      return;
    }
    if (st.response.closed()) {
      finish(st);
      return;
    }
    if (st.state == ChunkStreamer.State.WAITING && !attach(st, now)) {
      return;
    }
    write(st, now);
  }

  /**
   * A waiting response looks at the newest snapshot: its object complete (sent whole), gone (404),
   * started (it begins streaming: returns true) or not yet (it keeps waiting).
   */
  private boolean attach(ChunkStreamer st, long now) {
    RenditionSnapshot r = st.stream.snapshot().rendition(st.rendition);
    GrowingSegment g = r == null ? null : r.growing();
    if (st.followsPart()) {
      TimelinePart p = r == null ? null : r.part(st.part);
      if (p != null) {
        finish(st);
        answers.part(st.response, p);
        return false;
      }
      if (r != null && r.ended()) {
        finish(st);
        answers.notFound(st.response);
        return false;
      }
      if (g != null) {
        // Watched before the chunks are looked at, so a chunk appended meanwhile is signalled.
        g.watch();
        int first = firstChunkOf(g, st.part);
        if (first >= 0) {
          begin(st, g, first, now);
          return true;
        }
      }
      return false;
    }
    TimelineSegment seg = r == null ? null : r.segment(st.msn);
    if (seg != null && seg.complete()) {
      finish(st);
      answers.segment(st.response, seg);
      return false;
    }
    if (g != null && g.msn() == st.msn) {
      g.watch();
      begin(st, g, 0, now);
      return true;
    }
    boolean passed =
        g != null ? g.msn() > st.msn : r != null && r.last() != null && r.last().msn() >= st.msn;
    if (r == null || r.ended() || passed) {
      finish(st);
      answers.notFound(st.response);
    }
    return false;
  }

  /** Index of the first chunk of part {@code sequence} in {@code g}, or -1 if it has none yet. */
  private static int firstChunkOf(GrowingSegment g, long sequence) {
    int first = -1;
    for (int i = g.count() - 1; i >= 0; i--) {
      long p = g.chunk(i).partSequence();
      if (p == sequence) {
        first = i;
      } else if (p < sequence) {
        break;
      }
    }
    return first;
  }

  private void begin(ChunkStreamer st, GrowingSegment g, int index, long now) {
    st.state = ChunkStreamer.State.STREAMING;
    st.segment = g;
    st.index = index;
    st.deadlineNanos = now + holdNanos;
    answers.streamingHeaders(st.response);
    if (!st.http2) {
      st.response.setChunked(true);
    }
  }

  private void write(ChunkStreamer st, long now) {
    // A write may flush, a flush may make the connection writable again, and that runs drain
    // callbacks: one of them must not re-enter this loop for the same response (it would write a
    // chunk twice). The loop in progress goes on writing anyway.
    if (st.writing) {
      return;
    }
    st.writing = true;
    try {
      writeChunks(st, now);
    } finally {
      st.writing = false;
    }
  }

  private void writeChunks(ChunkStreamer st, long now) {
    GrowingSegment g = st.segment;
    HttpServerResponse res = st.response;
    // Read the completion marks before the count: a part or segment said complete then has all its
    // chunks within the count (GrowingSegment's publication order).
    boolean complete = g.complete();
    long closedPart = g.lastClosedPart();
    int n = g.count();
    if (n > st.seen) {
      st.seen = n;
      st.deadlineNanos = now + holdNanos;
    }
    boolean partOver = false;
    while (st.index < n) {
      GrowingSegment.Chunk c = g.chunk(st.index);
      if (st.followsPart() && c.partSequence() != st.part) {
        if (c.partSequence() > st.part) {
          partOver = true;
          break;
        }
        st.index++;
        continue;
      }
      if (full(st)) {
        return;
      }
      res.write(c.bytes());
      oldestWritten = Math.min(oldestWritten, c.appendedNanos());
      st.index++;
    }
    if (g.abandoned()) {
      cut(st, StreamCut.ABANDONED);
      return;
    }
    boolean over =
        partOver || (st.index >= n && (complete || (st.followsPart() && closedPart >= st.part)));
    if (over) {
      finish(st);
      res.end();
    }
  }

  /**
   * Whether the connection is over its outbound budget; if so, arranges to be pumped again once it
   * drains. Netty's channel writability is the byte budget ({@code http.writeBufferBytes}, set by
   * {@link ConnectionGuard}): Vert.x's own {@code writeQueueFull} turns true only after a number of
   * messages have queued behind an unwritable channel, however big they are. HTTP/2 adds the
   * stream's flow-control window, which Vert.x's stream does report.
   */
  private boolean full(ChunkStreamer st) {
    ConnectionGuard guard = st.guard;
    System.err.println(
        "DBG full? http2="
            + st.http2
            + " chw="
            + (guard == null ? null : guard.channel.isWritable())
            + " wqf="
            + st.response.writeQueueFull());
    if (guard != null && !guard.channel.isWritable()) {
      if (!st.awaitingDrain) {
        st.awaitingDrain = true;
        guard.whenWritable(() -> drained(st));
      }
      return true;
    }
    if (st.response.writeQueueFull()) {
      if (!st.awaitingDrain) {
        st.awaitingDrain = true;
        st.response.drainHandler(v -> drained(st));
      }
      return true;
    }
    return false;
  }

  private void drained(ChunkStreamer st) {
    // Vert.x keeps a response's drain handler and calls it on every return to writable: act only
    // when this response stopped at the budget.
    if (!st.awaitingDrain) {
      return;
    }
    st.awaitingDrain = false;
    pump(st, System.nanoTime());
  }

  /**
   * Ends a response before its end so that nobody mistakes it for a complete object: HTTP/2 resets
   * the stream (the connection's other streams go on); HTTP/1.1 has no other way than closing the
   * connection, abortively so that what is queued is dropped at once.
   */
  private void cut(ChunkStreamer st, StreamCut reason) {
    finish(st);
    metrics.streamCut(reason);
    if (st.http2) {
      st.response.reset();
      return;
    }
    if (st.guard != null) {
      st.guard.abort();
    } else {
      st.connection.close();
    }
  }

  private void finish(ChunkStreamer st) {
    if (st.state == ChunkStreamer.State.DONE) {
      return;
    }
    st.state = ChunkStreamer.State.DONE;
    metrics.streamDone();
    if (st.account != null) {
      quota.release(st.account);
    }
  }

  private static final CharSequence H_RETRY_AFTER = HttpHeaders.createOptimized("retry-after");
  private static final CharSequence RETRY_AFTER = HttpHeaders.createOptimized("1");
}
