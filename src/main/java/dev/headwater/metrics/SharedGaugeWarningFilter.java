package dev.headwater.metrics;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

/**
 * Drops the one WARN Micrometer logs when Vert.x's event-bus metrics register their gauges, which
 * every origin logged at start and which an operator could only read as a fault.
 *
 * <p>Vert.x's micrometer metrics (5.0.7) register the {@code vertx.eventbus.handlers} and {@code
 * vertx.eventbus.pending} gauges again for every event-bus address, under the same meter id (the
 * address is not a label: per-stream addresses would make one series per stream). Vert.x keeps one
 * counter per id and the first gauge reads it, so the values are right; Micrometer 1.17 still warns
 * "This Gauge has been already registered" the first time. Only that warning, for Vert.x's own
 * {@code vertx.eventbus.} gauges, is dropped (Micrometer warns once per process and logs later
 * double registrations at DEBUG anyway). Installed by {@code logback.xml}; logback asks a turbo
 * filter about every logging call, before the level check, so it tests the level first.
 */
public final class SharedGaugeWarningFilter extends TurboFilter {
  private static final String LOGGER = "io.micrometer.core.instrument.MeterRegistry";
  private static final String MESSAGE =
      "has been already registered (MeterId{name='vertx.eventbus.";

  @Override
  public FilterReply decide(
      Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    if (level == Level.WARN
        && format != null
        && LOGGER.equals(logger.getName())
        && format.contains(MESSAGE)) {
      return FilterReply.DENY;
    }
    return FilterReply.NEUTRAL;
  }
}
