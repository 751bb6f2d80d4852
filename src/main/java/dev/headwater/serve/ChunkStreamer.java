package dev.headwater.serve;

import dev.headwater.timeline.GrowingSegment;
import dev.headwater.timeline.LiveStream;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerResponse;

/**
 * One response that follows media still being produced: a whole segment ({@code part < 0}) or one
 * part ({@code part >= 0}, the preload hint). It holds an index into the shared chunks, never a
 * copy of them. Touched only on its HTTP instance's event loop, by {@link StreamingResponses}.
 *
 * <p>States: {@code WAITING} (its segment or part has no chunk yet: no byte or header sent), then
 * {@code STREAMING} (headers sent, chunk {@code index} is the next to write), then {@code DONE}
 * (ended, reset, or its client left).
 */
final class ChunkStreamer {
  enum State {
    WAITING,
    STREAMING,
    DONE
  }

  final LiveStream stream;
  final String rendition;

  /** The segment wanted (its MSN), or -1 for a part stream. */
  final long msn;

  /** The part wanted (its sequence number), or -1 for a segment stream. */
  final long part;

  final HttpServerResponse response;
  final HttpConnection connection;
  final boolean http2;

  /** While WAITING: when it gives up (503). While STREAMING: renewed by every new chunk. */
  long deadlineNanos;

  State state = State.WAITING;
  GrowingSegment segment;
  int index;

  /** A drain handler is set: writing resumes when the connection's queue drains. */
  boolean awaitingDrain;

  /** Its write loop is running (see {@code StreamingResponses.write}). */
  boolean writing;

  /** Chunks seen so far: a new one renews the stall deadline. */
  int seen;

  WaiterQuota.Account account;

  /** Its connection's guard (the byte budget); null only for a connection not of ours. */
  ConnectionGuard guard;

  ChunkStreamer(
      LiveStream stream,
      String rendition,
      long msn,
      long part,
      HttpServerResponse response,
      HttpConnection connection,
      boolean http2) {
    this.stream = stream;
    this.rendition = rendition;
    this.msn = msn;
    this.part = part;
    this.response = response;
    this.connection = connection;
    this.http2 = http2;
  }

  boolean followsPart() {
    return part >= 0;
  }
}
