package dev.headwater.encode;

/**
 * Time for the {@link EncoderSupervisor}: a clock and one-shot timers whose tasks run on the
 * supervisor's context. The server uses Vert.x timers; tests use a manual clock, so backoff and
 * stall rules are tested without waiting.
 */
public interface Scheduler {
  long nowMillis();

  /** Runs {@code task} after {@code delayMillis}; returns an id for {@link #cancel}. */
  long schedule(long delayMillis, Runnable task);

  void cancel(long id);
}
