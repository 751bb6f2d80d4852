package dev.headwater.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

/**
 * The process's Micrometer registry (Prometheus format, scraped at {@code /metrics}) and the meters
 * that are not per stream. Vert.x's own HTTP and event-bus metrics go to the same registry.
 */
public final class Metrics {
  private final PrometheusMeterRegistry registry;
  private final AtomicInteger waiting = new AtomicInteger();
  private final Timer wakeDelay;
  private final Counter waitTimeouts;
  private final Counter waitRejected;

  /**
   * HTTP responses by status class, index = status / 100 (1xx..5xx); pre-registered, no
   * per-response lookup.
   */
  private final Counter[] responses = new Counter[6];

  public Metrics() {
    this(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  /**
   * Bucket bounds of {@code headwater_waiter_wake_delay}; 50 ms is the fan-out target at 10,000
   * waiters.
   */
  static final Duration[] WAKE_BUCKETS =
      LongStream.of(5, 10, 20, 30, 40, 50, 60, 80, 100, 150, 200, 300, 500, 1000)
          .mapToObj(Duration::ofMillis)
          .toArray(Duration[]::new);

  public Metrics(PrometheusMeterRegistry registry) {
    this.registry = registry;
    registry.gauge("headwater_waiting_requests", waiting);
    this.wakeDelay =
        Timer.builder("headwater_waiter_wake_delay")
            .description(
                "Timeline update published → last parked request of one wake pass answered")
            .publishPercentiles(0.5, 0.99)
            // Buckets too, so a benchmark (or an SLO alert) can tell how many passes beat a bound
            // between two scrapes: loadtest/bench/FanOut.java reads them per round.
            .serviceLevelObjectives(WAKE_BUCKETS)
            // One 5-minute window: a benchmark run on a fresh server is summarised whole.
            .distributionStatisticExpiry(Duration.ofMinutes(5))
            .distributionStatisticBufferLength(1)
            .register(registry);
    this.waitTimeouts =
        Counter.builder("headwater_waiter_timeouts")
            .description("Blocking requests answered 503 after 3 target durations")
            .register(registry);
    for (int c = 1; c <= 5; c++) {
      responses[c] =
          Counter.builder("headwater_http_responses")
              .description("HTTP responses by status class")
              .tag("status", c + "xx")
              .register(registry);
    }
    this.waitRejected =
        Counter.builder("headwater_waiter_rejected")
            .description("Blocking requests refused because the waiter bound was reached")
            .register(registry);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public MeterRegistry meterRegistry() {
    return registry;
  }

  public StreamMeters forStream(String stream) {
    return new StreamMeters(registry, stream);
  }

  /** Counts one HTTP response by its status class. */
  public void response(int status) {
    int c = status / 100;
    if (c >= 1 && c <= 5) {
      responses[c].increment();
    }
  }

  public void waiterParked() {
    waiting.incrementAndGet();
  }

  public void waiterDone() {
    waiting.decrementAndGet();
  }

  public void wakeDelayNanos(long nanos) {
    wakeDelay.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  public void waiterTimeout() {
    waitTimeouts.increment();
  }

  public void waiterRejected() {
    waitRejected.increment();
  }

  public Timer wakeDelay() {
    return wakeDelay;
  }

  public DistributionSummary summary(String name, String... tags) {
    return DistributionSummary.builder(name).tags(tags).register(registry);
  }
}
