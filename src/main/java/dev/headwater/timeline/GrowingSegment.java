package dev.headwater.timeline;

import io.vertx.core.buffer.Buffer;
import java.util.Arrays;

/**
 * The segment being produced, as the CMAF chunks FFmpeg writes: what streaming responses follow
 * while it grows (the in-progress segment of LL-DASH and RFC 8216bis 6.2.6, and the preload-hinted
 * part). Every response shares the same chunk buffers; a response keeps only its index.
 *
 * <p>One writer (the stream's owner, through {@link RenditionTimeline}), any number of readers on
 * other event loops, no locks. The writer stores a chunk, then publishes it by a volatile write of
 * {@link #count()}; it marks parts and the segment complete only after their last chunk. So a
 * reader that reads {@link #complete()} (or {@link #lastClosedPart()}) first and the count next
 * never misses a chunk of what it was told is complete.
 *
 * <p>Not a queue: the chunks are the segment itself, which its parts hold anyway until the window
 * drops it; a segment's chunk count is bounded by its length in frames.
 */
public final class GrowingSegment {

  /**
   * One CMAF chunk: its bytes (shared, read-only), the part it belongs to, and when it was appended
   * ({@code System.nanoTime()}), from which a response's lag is measured.
   */
  public record Chunk(Buffer bytes, long partSequence, long appendedNanos) {}

  private final String rendition;
  private final long msn;
  private volatile Chunk[] chunks = new Chunk[64];
  private volatile int count;
  private volatile long lastClosedPart = -1;
  private volatile boolean complete;
  private volatile boolean abandoned;
  private volatile boolean watched;

  GrowingSegment(String rendition, long msn) {
    this.rendition = rendition;
    this.msn = msn;
  }

  public String rendition() {
    return rendition;
  }

  public long msn() {
    return msn;
  }

  /** Chunks published so far. */
  public int count() {
    return count;
  }

  /** Chunk {@code i}, for {@code i < count()} read before. */
  public Chunk chunk(int i) {
    return chunks[i];
  }

  /** The segment is complete: its chunks are all there. */
  public boolean complete() {
    return complete;
  }

  /**
   * The segment ended without becoming a segment of the timeline (its run broke before its first
   * part closed; its media sequence number goes to the next segment): a response that followed it
   * must be reset, never ended as if complete. Implies {@link #complete()}.
   */
  public boolean abandoned() {
    return abandoned;
  }

  /** The highest part sequence whose chunks are all there (-1: none yet). */
  public long lastClosedPart() {
    return lastClosedPart;
  }

  /**
   * A streaming response follows this segment: from now on its owner signals each new chunk (nobody
   * is told of chunks nobody follows). Call before reading {@link #count()}.
   */
  public void watch() {
    watched = true;
  }

  /** Whether a streaming response follows it (read by the owner after appending). */
  public boolean watched() {
    return watched;
  }

  void append(Buffer bytes, long partSequence, long nowNanos) {
    int n = count;
    Chunk[] a = chunks;
    if (n == a.length) {
      a = Arrays.copyOf(a, n * 2);
    }
    a[n] = new Chunk(bytes, partSequence, nowNanos);
    chunks = a;
    count = n + 1;
  }

  void partClosed(long sequence) {
    lastClosedPart = sequence;
  }

  void completed() {
    complete = true;
  }

  void abandon() {
    abandoned = true;
    complete = true;
  }
}
