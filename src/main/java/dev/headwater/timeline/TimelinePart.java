package dev.headwater.timeline;

import io.vertx.core.buffer.Buffer;

/**
 * A published part: its bytes are shared by every response (never copied per viewer). {@code
 * sequence} numbers parts across the whole session, so a preload hint names the next part before
 * its segment is known. {@code durationTicks} is the exact duration in its init section's timescale
 * (a DASH SegmentTimeline needs integers).
 */
public record TimelinePart(
    long sequence,
    long msn,
    int index,
    Buffer bytes,
    double duration,
    boolean independent,
    long publishedNanos,
    long durationTicks) {
  public String uri() {
    return uriFor(sequence);
  }

  public static String uriFor(long sequence) {
    return "p" + sequence + ".m4s";
  }
}
