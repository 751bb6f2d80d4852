package dev.headwater.metrics;

/**
 * Whether a stream's encoder is doing its job, told from what it leaves behind (the HTTP side reads
 * this; it may not depend on the encoder itself): restarts, media arriving from the publisher, and
 * parts coming out. Times are {@link System#nanoTime()} values handed in, so the rules are tested
 * with made-up clocks. Written from the stream owner's context, read from any thread.
 *
 * <p>Two symptoms make it unhealthy:
 *
 * <ul>
 *   <li>the encoder restarted {@value #RESTARTS_UNHEALTHY} times or more within the window (a crash
 *       loop that still produces parts between crashes);
 *   <li>publisher media has kept arriving but no part came out for the silence limit (FFmpeg does
 *       not start, or dies before its first part, or hangs): an idle publisher is not a symptom.
 * </ul>
 */
public final class EncoderHealth {
  /** Restarts within the window that make a crash loop. */
  public static final int RESTARTS_UNHEALTHY = 3;

  /** A publisher silent for this long has paused; its media "keeps arriving" no more. */
  static final long INGEST_GAP_NANOS = 5_000_000_000L;

  private final long[] restarts = new long[RESTARTS_UNHEALTHY];
  private int restartCount;
  private volatile long lastIngest;
  private volatile long ingestSince;
  private volatile long lastPart;
  private volatile boolean ingesting;
  private volatile boolean produced;

  /** Publisher media arrived (every FLV tag). */
  public void ingest(long now) {
    if (!ingesting || now - lastIngest > INGEST_GAP_NANOS) {
      ingestSince = now;
      ingesting = true;
    }
    lastIngest = now;
  }

  /** A part became servable. */
  public void part(long now) {
    lastPart = now;
    produced = true;
  }

  /** The encoder was restarted after a failure. */
  public synchronized void restart(long now) {
    restarts[restartCount++ % restarts.length] = now;
  }

  /**
   * What is wrong at {@code now}, or null when nothing is.
   *
   * @param windowNanos restarts older than this do not count (ffmpeg.healthyRunSeconds: a run that
   *     long resets the supervisor's count too)
   * @param silenceNanos how long media may arrive with no part coming out (the encoder's start and
   *     stall timeouts together: the supervisor has had its chance to fix it by then)
   */
  public String problem(long now, long windowNanos, long silenceNanos) {
    int recent = 0;
    synchronized (this) {
      for (int i = 0; i < Math.min(restartCount, restarts.length); i++) {
        recent += now - restarts[i] <= windowNanos ? 1 : 0;
      }
    }
    if (recent >= RESTARTS_UNHEALTHY) {
      return "encoder restarted " + recent + " times within " + seconds(windowNanos) + " s";
    }
    boolean arriving = ingesting && now - lastIngest <= INGEST_GAP_NANOS;
    long quietSince = produced && lastPart - ingestSince > 0 ? lastPart : ingestSince;
    if (arriving && now - quietSince > silenceNanos) {
      return "publisher media arriving but no part out for " + seconds(now - quietSince) + " s";
    }
    return null;
  }

  private static long seconds(long nanos) {
    return Math.round(nanos / 1e9);
  }
}
