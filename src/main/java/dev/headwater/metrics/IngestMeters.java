package dev.headwater.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Meters of the RTMP listener: what it refused, closed and holds. Counters are created once per tag
 * value; the tag values are a small fixed set chosen by the server, never client text.
 */
public final class IngestMeters {
  private final MeterRegistry registry;
  private final Map<String, Counter> refused = new ConcurrentHashMap<>();
  private final Map<String, Counter> timeouts = new ConcurrentHashMap<>();
  private final Counter protocolErrors;
  private final Counter evicted;

  public IngestMeters(MeterRegistry registry) {
    this.registry = registry;
    this.protocolErrors =
        Counter.builder("headwater_rtmp_protocol_errors")
            .description("RTMP connections closed for malformed input or a memory bound")
            .register(registry);
    this.evicted =
        Counter.builder("headwater_rtmp_connections_evicted")
            .description(
                "Anonymous RTMP connections closed, oldest first, to admit a new one at the cap")
            .register(registry);
  }

  /** Gauges read from the listener: open connections and bytes held by unauthenticated ones. */
  public void gauges(Supplier<Number> connections, Supplier<Number> pendingBytes) {
    Gauge.builder("headwater_rtmp_connections", connections)
        .description("Open RTMP connections")
        .register(registry);
    Gauge.builder("headwater_rtmp_pending_bytes", pendingBytes)
        .description("Bytes of partial RTMP messages held for connections not yet authorized")
        .register(registry);
  }

  /** A connection refused at accept; {@code reason} is one of a fixed set ("total", ...). */
  public void refused(String reason) {
    refused
        .computeIfAbsent(
            reason,
            r ->
                Counter.builder("headwater_rtmp_connections_refused")
                    .description("RTMP connections closed at accept because a cap was reached")
                    .tag("reason", r)
                    .register(registry))
        .increment();
  }

  /** A connection closed by a deadline; {@code phase} is one of a fixed set ("handshake", ...). */
  public void timedOut(String phase) {
    timeouts
        .computeIfAbsent(
            phase,
            p ->
                Counter.builder("headwater_rtmp_timeouts")
                    .description("RTMP connections closed because a deadline passed")
                    .tag("phase", p)
                    .register(registry))
        .increment();
  }

  public void evicted() {
    evicted.increment();
  }

  public void protocolError() {
    protocolErrors.increment();
  }

  /** Sum of refusals, timeouts and protocol errors so far (for the listener's summary line). */
  public double closedTotal() {
    double sum = protocolErrors.count() + evicted.count();
    for (Counter c : refused.values()) {
      sum += c.count();
    }
    for (Counter c : timeouts.values()) {
      sum += c.count();
    }
    return sum;
  }
}
