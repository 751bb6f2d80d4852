package dev.headwater.loadtest;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * A thread-safe histogram of millisecond values with 1 ms resolution up to 60 s (larger values
 * count as 60 000). Lock-free: one atomic counter per millisecond. Percentiles are exact to 1 ms.
 * Gatling 3.13 does not bring HdrHistogram onto the classpath, and this is all that is needed.
 */
public final class MsHistogram {

  private static final int MAX_MS = 60_000;

  private final AtomicLongArray counts = new AtomicLongArray(MAX_MS + 1);
  private final LongAdder total = new LongAdder();
  private final LongAccumulator max = new LongAccumulator(Math::max, 0);

  public void record(long ms) {
    int i = (int) Math.max(0, Math.min(MAX_MS, ms));
    counts.incrementAndGet(i);
    total.increment();
    max.accumulate(Math.max(0, ms));
  }

  public long count() {
    return total.sum();
  }

  public long max() {
    return count() == 0 ? -1 : max.get();
  }

  /** The smallest value v such that at least {@code percentile}% of the samples are &lt;= v; -1 if empty. */
  public long percentile(double percentile) {
    long n = count();
    if (n == 0) {
      return -1;
    }
    long rank = (long) Math.ceil(percentile / 100.0 * n);
    rank = Math.max(1, Math.min(n, rank));
    long seen = 0;
    for (int i = 0; i <= MAX_MS; i++) {
      seen += counts.get(i);
      if (seen >= rank) {
        return i;
      }
    }
    return MAX_MS;
  }
}
