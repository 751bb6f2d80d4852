package dev.headwater.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

/**
 * The process's Micrometer registry (Prometheus format, scraped at {@code /metrics} on the operator
 * listener) and the meters that are not per stream. Vert.x's own event-bus and pool metrics go to
 * the same registry.
 */
public final class Metrics {
  /** Why a blocking request was refused (503) instead of parked. */
  public enum WaiterRefusal {
    /** {@code http.maxWaitersPerRendition} reached on this HTTP instance. */
    RENDITION,
    /** {@code http.maxWaitersPerConnection} reached on the request's connection. */
    CONNECTION,
    /** {@code http.maxWaitersPerClient} reached for the request's client address. */
    CLIENT,
    /** {@code http.maxWaiterBytes} reached by all parked requests together. */
    MEMORY
  }

  /** Why a connection was closed by the server before its client closed it. */
  public enum Closed {
    /**
     * Its outbound queue stayed over budget without draining for {@code http.writeStallSeconds}.
     */
    WRITE_STALL,
    /** A new HTTP/1.1 request arrived while the outbound queue was over budget (pipelining). */
    PIPELINED_OVER_BUDGET,
    /**
     * The connection's first request head (or, for HTTP/2, its preface and SETTINGS) did not arrive
     * whole within the header timeout: the classic slowloris.
     */
    NO_FIRST_REQUEST,
    /** Bytes of a later request arrived but not its whole head within the header timeout. */
    PARTIAL_REQUEST,
    /** No request at all within the header timeout (keep-alive or HTTP/2 idle). */
    IDLE
  }

  private final PrometheusMeterRegistry registry;
  private final AtomicInteger waiting = new AtomicInteger();
  private final Timer wakeDelay;
  private final Counter waitTimeouts;
  private final Counter[] waitRejected = new Counter[WaiterRefusal.values().length];
  private final Counter[] closed = new Counter[Closed.values().length];
  private final Counter overBudgetRefused;
  private final Counter forwarded;

  /** Why a streaming response (media still being produced) was cut before its end. */
  public enum StreamCut {
    /** Its client fell more than {@code http.streamMaxLagSeconds} behind the newest chunk. */
    LAG,
    /** The segment it followed was abandoned (its encoder run broke before a part closed). */
    ABANDONED,
    /** No chunk came for the blocking timeout while the segment was still open. */
    STALLED
  }

  private final AtomicInteger streaming = new AtomicInteger();
  private final Counter[] streamCuts = new Counter[StreamCut.values().length];
  private final Counter streamsStarted;
  private final Timer streamingDelay;

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
    for (WaiterRefusal r : WaiterRefusal.values()) {
      waitRejected[r.ordinal()] =
          Counter.builder("headwater_waiter_rejected")
              .description(
                  "Blocking requests refused (503) because a bound on parked ones was reached")
              .tag("reason", r.name().toLowerCase(Locale.ROOT))
              .register(registry);
    }
    for (Closed c : Closed.values()) {
      boolean slow = c == Closed.WRITE_STALL || c == Closed.PIPELINED_OVER_BUDGET;
      closed[c.ordinal()] =
          Counter.builder(
                  slow
                      ? "headwater_http_slow_clients_closed"
                      : "headwater_http_request_timeouts_closed")
              .description(
                  slow
                      ? "Connections closed because their client did not read what was sent"
                      : "Connections closed with no complete request within http.requestHeaderTimeoutSeconds")
              .tag("reason", c.name().toLowerCase(Locale.ROOT))
              .register(registry);
    }
    registry.gauge("headwater_http_streaming_responses", streaming);
    this.streamingDelay =
        Timer.builder("headwater_http_streaming_delay")
            .description(
                "A CMAF chunk appended → written to the last streaming response of one pass")
            .publishPercentiles(0.5, 0.99)
            .serviceLevelObjectives(WAKE_BUCKETS)
            .distributionStatisticExpiry(Duration.ofMinutes(5))
            .distributionStatisticBufferLength(1)
            .register(registry);
    this.streamsStarted =
        Counter.builder("headwater_http_streaming_started")
            .description(
                "Responses that followed media still being produced (in-progress segment or hinted part)")
            .register(registry);
    for (StreamCut c : StreamCut.values()) {
      streamCuts[c.ordinal()] =
          Counter.builder("headwater_http_streaming_cut")
              .description("Streaming responses cut (reset) before their end, by reason")
              .tag("reason", c.name().toLowerCase(Locale.ROOT))
              .register(registry);
    }
    this.overBudgetRefused =
        Counter.builder("headwater_http_over_budget_refused")
            .description(
                "HTTP/2 requests answered 503 because their connection's outbound queue was over budget")
            .register(registry);
    this.forwarded =
        Counter.builder("headwater_cluster_forwarded_requests")
            .description(
                "Viewer requests this origin forwarded to the origin that owns the stream (cluster)")
            .register(registry);
  }

  /** A request forwarded to another origin of the cluster. */
  public void forwarded() {
    forwarded.increment();
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

  public void waiterRejected(WaiterRefusal reason) {
    waitRejected[reason.ordinal()].increment();
  }

  /** Counts a connection the server closed, by reason. */
  public void closed(Closed reason) {
    closed[reason.ordinal()].increment();
  }

  public void streamStarted() {
    streamsStarted.increment();
    streaming.incrementAndGet();
  }

  public void streamingDelayNanos(long nanos) {
    streamingDelay.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  public void streamDone() {
    streaming.decrementAndGet();
  }

  public void streamCut(StreamCut reason) {
    streamCuts[reason.ordinal()].increment();
  }

  public void overBudgetRefused() {
    overBudgetRefused.increment();
  }

  public Timer wakeDelay() {
    return wakeDelay;
  }

  public DistributionSummary summary(String name, String... tags) {
    return DistributionSummary.builder(name).tags(tags).register(registry);
  }
}
