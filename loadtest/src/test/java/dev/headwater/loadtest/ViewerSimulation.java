package dev.headwater.loadtest;

import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * What the fixed-size viewer simulations share: {@code users} viewers, each two virtual users (video
 * and audio) with the same injection profile, started evenly over {@code rampSeconds} and stopped
 * {@code durationSeconds} after the start; any failed request fails the Maven build, after the report
 * and the summary line.
 */
abstract class ViewerSimulation extends Simulation {
  final Params p = Params.fromSystemProperties();
  private final long durationNanos = p.durationSeconds * 1_000_000_000L;
  private final Function<Stats, String> summary;

  ViewerSimulation(
      BiFunction<Params, BooleanSupplier, ScenarioBuilder> video,
      Function<BooleanSupplier, ScenarioBuilder> audio,
      Function<Stats, String> summary) {
    this.summary = summary;
    if (p.rampSeconds >= p.durationSeconds) {
      throw new IllegalArgumentException("rampSeconds must be shorter than durationSeconds");
    }
    BooleanSupplier running = () -> System.nanoTime() - Stats.get().startNanos() < durationNanos;
    setUp(
            video.apply(p, running).injectOpen(rampUsers(p.users).during(Duration.ofSeconds(p.rampSeconds))),
            audio.apply(running).injectOpen(rampUsers(p.users).during(Duration.ofSeconds(p.rampSeconds))))
        .protocols(Viewers.protocol())
        // safety net: requests in flight at the deadline end within 10 s (request timeout)
        .maxDuration(Duration.ofSeconds(p.durationSeconds + 15L))
        .assertions(global().failedRequests().count().is(0L));
  }

  @Override
  public void before() {
    System.out.println(getClass().getSimpleName() + ": " + p + " master=" + p.masterUrl());
    Stats.reset(1, Long.MAX_VALUE);
  }

  @Override
  public void after() {
    Stats st = Stats.get();
    if (!st.errorKinds().isEmpty()) {
      System.out.println("errors seen on: " + st.errorKinds());
    }
    System.out.println(summary.apply(st));
  }
}
