package dev.headwater.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * The messages are Micrometer's own, caught as they are logged by a turbo filter placed ahead of
 * the one logback.xml installs. Micrometer warns only once per process and logs later double
 * registrations at DEBUG, if DEBUG is on: the catcher turns it on for Micrometer's logger, so each
 * test sees its message whichever test ran first.
 */
class SharedGaugeWarningFilterTest {
  private static final String METER_REGISTRY = "io.micrometer.core.instrument.MeterRegistry";

  private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
  private final List<String> doubles = new CopyOnWriteArrayList<>();
  private final TurboFilter catcher =
      new TurboFilter() {
        @Override
        public FilterReply decide(
            Marker marker, Logger logger, Level level, String format, Object[] p, Throwable t) {
          if (!METER_REGISTRY.equals(logger.getName())) {
            return FilterReply.NEUTRAL;
          }
          if (format == null) {
            // isDebugEnabled(): yes, so that Micrometer builds its DEBUG message too.
            return FilterReply.ACCEPT;
          }
          if (format.contains("already registered")) {
            doubles.add(format);
          }
          return FilterReply.NEUTRAL;
        }
      };
  private final SharedGaugeWarningFilter filter = new SharedGaugeWarningFilter();
  private final Logger meterRegistryLogger = context.getLogger(METER_REGISTRY);

  @BeforeEach
  void catchMicrometersMessages() {
    catcher.start();
    context.getTurboFilterList().add(0, catcher);
  }

  @AfterEach
  void stopCatching() {
    context.getTurboFilterList().remove(catcher);
  }

  @Test
  void logbackXmlInstallsIt() {
    assertTrue(
        context.getTurboFilterList().stream().anyMatch(f -> f instanceof SharedGaugeWarningFilter),
        context.getTurboFilterList().toString());
  }

  @Test
  void dropsTheWarningVertxsEventBusGaugesCause() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Vertx vertx =
        Vertx.builder()
            .with(
                new VertxOptions()
                    .setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)))
            .withMetrics(new MicrometerMetricsFactory(registry))
            .build();
    try {
      // Two addresses: the second registers the same handlers gauge again.
      vertx
          .eventBus()
          .consumer("headwater.test.a", m -> {})
          .completion()
          .toCompletionStage()
          .toCompletableFuture()
          .get(5, TimeUnit.SECONDS);
      vertx
          .eventBus()
          .consumer("headwater.test.b", m -> {})
          .completion()
          .toCompletionStage()
          .toCompletableFuture()
          .get(5, TimeUnit.SECONDS);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
    assertFalse(doubles.isEmpty(), "Vert.x registered its event-bus gauges once only");
    for (String message : doubles) {
      assertTrue(message.contains("vertx.eventbus."), message);
      assertEquals(
          FilterReply.DENY,
          filter.decide(null, meterRegistryLogger, Level.WARN, message, null, null),
          message);
    }
  }

  @Test
  void keepsAnyOtherDoubleRegistration() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Gauge.builder("headwater.test.twice", () -> 1).register(registry);
    Gauge.builder("headwater.test.twice", () -> 2).register(registry);
    assertEquals(1, doubles.size(), doubles.toString());
    assertEquals(
        FilterReply.NEUTRAL,
        filter.decide(null, meterRegistryLogger, Level.WARN, doubles.get(0), null, null));
  }

  @Test
  void keepsOtherLoggersAndLevels() {
    String vertxs =
        "This Gauge has been already registered (MeterId{name='vertx.eventbus.handlers', tags=[]})";
    assertEquals(
        FilterReply.NEUTRAL,
        filter.decide(null, context.getLogger("dev.headwater.x"), Level.WARN, vertxs, null, null));
    assertEquals(
        FilterReply.NEUTRAL,
        filter.decide(null, meterRegistryLogger, Level.ERROR, vertxs, null, null));
  }
}
