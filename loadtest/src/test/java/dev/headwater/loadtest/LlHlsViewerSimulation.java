package dev.headwater.loadtest;

import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;

import io.gatling.javaapi.core.Simulation;
import java.time.Duration;

/**
 * {@code users} LL-HLS viewers (hls.js in low-latency mode, see {@link LlHls}), started evenly over
 * {@code rampSeconds}; all of them stop {@code durationSeconds} after the start of the run.
 *
 * <pre>
 * mvn -f loadtest/pom.xml gatling:test -Dgatling.simulationClass=dev.headwater.loadtest.LlHlsViewerSimulation \
 *     -Dbase=http://127.0.0.1:8080 -Dusers=50 -DdurationSeconds=60
 * </pre>
 */
public class LlHlsViewerSimulation extends Simulation {

  private final Params p = Params.fromSystemProperties();
  private final long durationNanos = p.durationSeconds * 1_000_000_000L;

  private boolean running() {
    return System.nanoTime() - Stats.get().startNanos() < durationNanos;
  }

  {
    if (p.rampSeconds >= p.durationSeconds) {
      throw new IllegalArgumentException("rampSeconds must be shorter than durationSeconds");
    }
    // both halves of every viewer (see LlHls) get the same injection profile
    setUp(
            LlHls.videoScenario("LL-HLS viewer", p, this::running)
                .injectOpen(rampUsers(p.users).during(Duration.ofSeconds(p.rampSeconds))),
            LlHls.audioScenario("LL-HLS viewer", this::running)
                .injectOpen(rampUsers(p.users).during(Duration.ofSeconds(p.rampSeconds))))
        .protocols(Viewers.protocol())
        // safety net: blocking requests in flight at the deadline end within 10 s (request timeout)
        .maxDuration(Duration.ofSeconds(p.durationSeconds + 15L))
        // any failed request fails the Maven build (after the report and the SUMMARY line)
        .assertions(global().failedRequests().count().is(0L));
  }

  @Override
  public void before() {
    System.out.println("LlHlsViewerSimulation: " + p + " master=" + p.masterUrl());
    Stats.reset(1, Long.MAX_VALUE);
  }

  @Override
  public void after() {
    Stats st = Stats.get();
    if (!st.errorKinds().isEmpty()) {
      System.out.println("errors seen on: " + st.errorKinds());
    }
    System.out.println(LlHls.detail(st));
    System.out.println(LlHls.summary(st, st.viewers(), st.heldViewers()));
  }
}
