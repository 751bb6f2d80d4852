package dev.headwater.loadtest;

import java.util.Locale;

/**
 * Run parameters, read from Java system properties ({@code mvn ... -Dusers=20}).
 * The Gatling Maven plugin copies the -D properties given to mvn into the
 * forked Gatling JVM, so they arrive here unchanged.
 */
public final class Params {

  /** Origin base URL, without trailing slash. */
  public final String base;
  /** Stream name: the multivariant playlist is {@code base/live/<stream>/master.m3u8}. */
  public final String stream;
  /** Number of viewers (LL-HLS and classic simulations). */
  public final int users;
  /** Viewers are started evenly over this many seconds. */
  public final int rampSeconds;
  /** Total run length in seconds, ramp included: every viewer stops at this deadline. */
  public final int durationSeconds;
  /** Which video variant a viewer picks: lowest, highest or random bandwidth. */
  public final String rendition;
  /** Ramp: concurrent viewers added per step. */
  public final int step;
  /** Ramp: length of one step in seconds. */
  public final int stepSeconds;
  /** Ramp: number of steps. */
  public final int maxSteps;
  /** Ramp: a step holds if it had no error and its p99 part response stayed below this. */
  public final long p99LimitMs;

  private Params() {
    base = stripSlash(System.getProperty("base", "http://127.0.0.1:8080"));
    stream = System.getProperty("stream", "demo");
    users = positive("users", 50);
    rampSeconds = nonNegative("rampSeconds", 10);
    durationSeconds = positive("durationSeconds", 60);
    rendition = System.getProperty("rendition", "lowest").toLowerCase(Locale.ROOT);
    if (!rendition.equals("lowest") && !rendition.equals("highest") && !rendition.equals("random")) {
      throw new IllegalArgumentException("rendition must be lowest, highest or random, not " + rendition);
    }
    step = positive("step", 20);
    stepSeconds = positive("stepSeconds", 20);
    maxSteps = positive("maxSteps", 10);
    p99LimitMs = positive("p99LimitMs", 100);
  }

  public static Params fromSystemProperties() {
    return new Params();
  }

  public String masterUrl() {
    return base + "/live/" + stream + "/master.m3u8";
  }

  @Override
  public String toString() {
    return "base=" + base + " stream=" + stream + " users=" + users + " rampSeconds=" + rampSeconds
        + " durationSeconds=" + durationSeconds + " rendition=" + rendition + " step=" + step
        + " stepSeconds=" + stepSeconds + " maxSteps=" + maxSteps + " p99LimitMs=" + p99LimitMs;
  }

  private static String stripSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  private static int positive(String name, int dflt) {
    int v = Integer.getInteger(name, dflt);
    if (v <= 0) {
      throw new IllegalArgumentException(name + " must be > 0, not " + v);
    }
    return v;
  }

  private static int nonNegative(String name, int dflt) {
    int v = Integer.getInteger(name, dflt);
    if (v < 0) {
      throw new IllegalArgumentException(name + " must be >= 0, not " + v);
    }
    return v;
  }
}
