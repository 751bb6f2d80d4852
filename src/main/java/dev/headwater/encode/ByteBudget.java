package dev.headwater.encode;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of one publisher that are accepted but not yet written to FFmpeg: in transit to the
 * stream owner, held while the source is probed, or queued for FFmpeg's stdin. The publisher's
 * connection acquires, whoever consumes or drops the bytes releases (the owner's context, FFmpeg's
 * stdin writer). When the budget is {@link #full()} the connection pauses its socket; the drain
 * callback runs once usage falls to half the limit. Thread-safe.
 *
 * <p>The limit is what a stalled FFmpeg may cost in memory per stream (rtmp.maxQueuedBytes, 8 MiB
 * by default: about 15 s of a 4 Mbit/s publisher).
 */
public final class ByteBudget {
  private final long limit;
  private final long lowWater;
  private final AtomicLong used = new AtomicLong();
  private final AtomicBoolean waiting = new AtomicBoolean();
  private volatile Runnable onDrain = () -> {};

  public ByteBudget(long limit) {
    this.limit = limit;
    this.lowWater = limit / 2;
  }

  public void onDrain(Runnable onDrain) {
    this.onDrain = onDrain;
  }

  public void acquire(long bytes) {
    used.addAndGet(bytes);
  }

  public void release(long bytes) {
    long now = used.addAndGet(-bytes);
    if (now <= lowWater && waiting.get() && waiting.compareAndSet(true, false)) {
      onDrain.run();
    }
  }

  public long used() {
    return used.get();
  }

  /**
   * True when the limit is reached; the drain callback then runs once. A release racing with this
   * call either sees the waiting flag or is seen by the re-check, so no drain is lost.
   */
  public boolean full() {
    if (used.get() < limit) {
      return false;
    }
    waiting.set(true);
    if (used.get() < limit) {
      waiting.set(false);
      return false;
    }
    return true;
  }
}
