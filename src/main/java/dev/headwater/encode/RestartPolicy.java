package dev.headwater.encode;

/**
 * When to restart an encoder that died or stalled, and when to give up. Pure.
 *
 * <p>The delay doubles from the initial backoff up to the maximum with each consecutive failure.
 * The budget counts consecutive failures only: a run that lasted at least {@code healthyRunMillis}
 * resets it, so a 24/7 stream survives an occasional crash a week, while an encoder that cannot run
 * (bad arguments, a broken source) ends the stream after {@code maxRestarts} quick failures.
 */
public final class RestartPolicy {
  /** Returned by {@link #onUnexpectedExit} when the budget is spent. */
  public static final long GIVE_UP = -1;

  private final int maxRestarts;
  private final long initialMillis;
  private final long maxMillis;
  private final long healthyRunMillis;
  private int consecutiveFailures;

  public RestartPolicy(int maxRestarts, long initialMillis, long maxMillis, long healthyRunMillis) {
    this.maxRestarts = maxRestarts;
    this.initialMillis = initialMillis;
    this.maxMillis = maxMillis;
    this.healthyRunMillis = healthyRunMillis;
  }

  /**
   * A run ended without being asked to, after running {@code runMillis}.
   *
   * @return the delay before the next run, or {@link #GIVE_UP}
   */
  public long onUnexpectedExit(long runMillis) {
    if (runMillis >= healthyRunMillis) {
      consecutiveFailures = 0;
    }
    consecutiveFailures++;
    if (consecutiveFailures > maxRestarts) {
      return GIVE_UP;
    }
    long delay = initialMillis;
    for (int i = 1; i < consecutiveFailures && delay < maxMillis; i++) {
      delay *= 2;
    }
    return Math.min(delay, maxMillis);
  }

  public int consecutiveFailures() {
    return consecutiveFailures;
  }
}
