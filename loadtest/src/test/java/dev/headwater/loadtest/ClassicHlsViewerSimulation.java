package dev.headwater.loadtest;

import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;

import io.gatling.javaapi.core.Simulation;
import java.time.Duration;

/**
 * {@code users} classic (non-LL) HLS viewers, see {@link ClassicHls}: they poll the media
 * playlists without directives every target duration and download whole segments.
 *
 * <pre>
 * mvn -f loadtest/pom.xml gatling:test -Dgatling.simulationClass=dev.headwater.loadtest.ClassicHlsViewerSimulation \
 *     -Dbase=http://127.0.0.1:8080 -Dusers=50 -DdurationSeconds=60
 * </pre>
 */
public class ClassicHlsViewerSimulation extends Simulation {

  private final Params p = Params.fromSystemProperties();
  private final long durationNanos = p.durationSeconds * 1_000_000_000L;

  private boolean running() {
    return System.nanoTime() - Stats.get().startNanos() < durationNanos;
  }

  {
    if (p.rampSeconds >= p.durationSeconds) {
      throw new IllegalArgumentException("rampSeconds must be shorter than durationSeconds");
    }
    // a viewer is two virtual users, video and audio, with the same injection profile
    setUp(
            ClassicHls.videoScenario("Classic HLS viewer", p, this::running)
                .injectOpen(rampUsers(p.users).during(Duration.ofSeconds(p.rampSeconds))),
            ClassicHls.audioScenario("Classic HLS viewer", this::running)
                .injectOpen(rampUsers(p.users).during(Duration.ofSeconds(p.rampSeconds))))
        .protocols(Viewers.protocol())
        .maxDuration(Duration.ofSeconds(p.durationSeconds + 15L))
        // any failed request fails the Maven build (after the report and the SUMMARY line)
        .assertions(global().failedRequests().count().is(0L));
  }

  @Override
  public void before() {
    System.out.println("ClassicHlsViewerSimulation: " + p + " master=" + p.masterUrl());
    Stats.reset(1, Long.MAX_VALUE);
  }

  @Override
  public void after() {
    Stats st = Stats.get();
    if (!st.errorKinds().isEmpty()) {
      System.out.println("errors seen on: " + st.errorKinds());
    }
    System.out.println(ClassicHls.summary(st));
  }
}
