package dev.headwater.loadtest;

import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Thread-safe recorders fed from the scenarios' {@code exec(session -> ...)} blocks.
 *
 * <p>Gatling's own statistics are not reachable from {@code Simulation.after()}, so every figure of
 * the SUMMARY line is recorded here as well. One JVM runs one simulation (the Maven plugin forks),
 * so a single static instance is enough; {@link #reset} clears it in {@code before()}.
 *
 * <p>Times are recorded in milliseconds in {@link MsHistogram}s (lock-free, 1 ms resolution).
 */
public final class Stats {

  /** Per-step figures of the ramp (a single bucket for the other simulations). */
  public static final class Bucket {
    public final MsHistogram part = hist();
    public final MsHistogram wake = hist();
    public final LongAdder errors = new LongAdder();
    public final LongAdder late = new LongAdder();
    public final LongAdder requests = new LongAdder();
  }

  private static volatile Stats current = new Stats(1, Long.MAX_VALUE);

  public static Stats get() {
    return current;
  }

  /** Starts a fresh set of recorders; {@code buckets} time buckets of {@code bucketMillis} each. */
  public static Stats reset(int buckets, long bucketMillis) {
    current = new Stats(buckets, bucketMillis);
    return current;
  }

  private final AtomicLong start = new AtomicLong();
  private final long bucketNanos;
  private final Bucket[] buckets;

  /** LL-HLS: response times of blocking playlist requests ("playlist wake"). */
  public final MsHistogram playlistWake = hist();
  /** LL-HLS: parts announced by a playlist (already complete when requested). */
  public final MsHistogram part = hist();
  /** LL-HLS: preload-hinted parts (requested before they exist; the server answers on completion). */
  public final MsHistogram hintedPart = hist();
  /** Gap between the arrival of consecutive parts (or segments) of one rendition of one viewer. */
  public final MsHistogram arrivalGap = hist();
  /** Classic HLS: response times of plain playlist polls. */
  public final MsHistogram playlistPoll = hist();
  /** Classic HLS: response times of whole segments. */
  public final MsHistogram segment = hist();

  public final LongAdder requests = new LongAdder();
  public final LongAdder errors = new LongAdder();
  public final LongAdder late = new LongAdder();
  public final LongAdder mediaObjects = new LongAdder();
  /** LL-HLS: blocking reloads that asked for a delta update, and those that got one (EXT-X-SKIP). */
  public final LongAdder skipRequested = new LongAdder();
  public final LongAdder deltaReceived = new LongAdder();
  private final Set<Integer> viewers = ConcurrentHashMap.newKeySet();
  private final Set<Integer> failedViewers = ConcurrentHashMap.newKeySet();
  private final Set<String> errorKinds = ConcurrentHashMap.newKeySet();

  private Stats(int bucketCount, long bucketMillis) {
    this.bucketNanos = bucketMillis == Long.MAX_VALUE ? Long.MAX_VALUE : bucketMillis * 1_000_000L;
    this.buckets = new Bucket[bucketCount];
    for (int i = 0; i < bucketCount; i++) {
      buckets[i] = new Bucket();
    }
  }

  private static MsHistogram hist() {
    return new MsHistogram();
  }

  /**
   * Start of the run: the moment the first virtual user asked for it, so that deadlines and ramp
   * steps line up with Gatling's injection clock (which starts a little after {@code before()}).
   */
  public long startNanos() {
    long s = start.get();
    if (s == 0) {
      start.compareAndSet(0, System.nanoTime());
      s = start.get();
    }
    return s;
  }

  /** The time bucket (ramp step) "now" falls into. */
  public Bucket bucket() {
    if (buckets.length == 1) {
      return buckets[0];
    }
    long i = (System.nanoTime() - startNanos()) / bucketNanos;
    return buckets[(int) Math.max(0, Math.min(buckets.length - 1, i))];
  }

  public Bucket bucket(int i) {
    return buckets[i];
  }

  public int bucketCount() {
    return buckets.length;
  }

  public void viewerStarted(int viewer) {
    viewers.add(viewer);
  }

  public int viewers() {
    return viewers.size();
  }

  public int heldViewers() {
    return viewers.size() - (int) failedViewers.stream().filter(viewers::contains).count();
  }

  /** Counts one request (successful or not). */
  public void request() {
    requests.increment();
    bucket().requests.increment();
  }

  /** Counts one failed request or check for a viewer. {@code what} is kept for the error report. */
  public void error(int viewer, String what) {
    errors.increment();
    bucket().errors.increment();
    failedViewers.add(viewer);
    if (errorKinds.size() < 20) {
      errorKinds.add(what);
    }
  }

  public Set<String> errorKinds() {
    return errorKinds;
  }

  public void lateArrival() {
    late.increment();
    bucket().late.increment();
  }

  public static void record(MsHistogram h, long ms) {
    h.record(ms);
  }

  public double elapsedSeconds() {
    return (System.nanoTime() - startNanos()) / 1e9;
  }

  /** Percentile in ms, -1 when there is no sample. */
  public static long p(MsHistogram h, double percentile) {
    return h.percentile(percentile);
  }

  public static String fmt(double d) {
    return String.format(Locale.ROOT, "%.1f", d);
  }
}
