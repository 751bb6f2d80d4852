package dev.headwater.loadtest;

import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;

import io.gatling.javaapi.core.ClosedInjectionStep;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds how many LL-HLS viewers the origin holds: a closed model that adds {@code step}
 * concurrent viewers (see {@link LlHls}) every {@code stepSeconds}, for {@code maxSteps} steps.
 * Viewers stay until the end, so step k runs k * step viewers.
 *
 * <p>Every sample is attributed to the step during which it was recorded. A step holds when it
 * had no error and its p99 part response time stayed below {@code p99LimitMs}; the run reports
 * the highest step up to which every step held, not counting steps that failed before the first one
 * held (warm-up: the server's and Gatling's JIT compilers and connection set-up land in step 1). The run always lasts maxSteps * stepSeconds
 * (plus the requests in flight at the end).
 *
 * <pre>
 * mvn -f loadtest/pom.xml gatling:test -Dgatling.simulationClass=dev.headwater.loadtest.RampSimulation \
 *     -Dbase=http://127.0.0.1:8080 -Dstep=20 -DstepSeconds=20 -DmaxSteps=10 -Dp99LimitMs=100
 * </pre>
 */
public class RampSimulation extends Simulation {

  private final Params p = Params.fromSystemProperties();
  private final long durationNanos = (long) p.maxSteps * p.stepSeconds * 1_000_000_000L;

  private boolean running() {
    return System.nanoTime() - Stats.get().startNanos() < durationNanos;
  }

  private List<ClosedInjectionStep> steps() {
    List<ClosedInjectionStep> out = new ArrayList<>();
    for (int k = 1; k <= p.maxSteps; k++) {
      out.add(constantConcurrentUsers(k * p.step).during(Duration.ofSeconds(p.stepSeconds)));
    }
    return out;
  }

  {
    // a viewer is two virtual users, video and audio, with the same injection profile
    setUp(
            LlHls.videoScenario("Ramp viewer", p, this::running).injectClosed(steps()),
            LlHls.audioScenario("Ramp viewer", this::running).injectClosed(steps()))
        .protocols(Viewers.protocol())
        .maxDuration(Duration.ofSeconds((long) p.maxSteps * p.stepSeconds + 15L));
  }

  @Override
  public void before() {
    System.out.println("RampSimulation: " + p + " master=" + p.masterUrl());
    Stats.reset(p.maxSteps, p.stepSeconds * 1000L);
  }

  @Override
  public void after() {
    Stats st = Stats.get();
    int heldStep = 0;
    boolean stillHolding = true;
    boolean warmingUp = true;
    for (int i = 0; i < st.bucketCount(); i++) {
      Stats.Bucket b = st.bucket(i);
      long partP99 = Stats.p(b.part, 99);
      boolean held = b.errors.sum() == 0 && partP99 >= 0 && partP99 < p.p99LimitMs;
      if (held && stillHolding) {
        heldStep = i + 1;
        warmingUp = false;
      } else if (!warmingUp) {
        stillHolding = false;
      }
      System.out.println("STEP " + (i + 1)
          + " viewers=" + (i + 1) * p.step
          + " requests/s=" + Stats.fmt(b.requests.sum() / (double) p.stepSeconds)
          + " errors=" + b.errors.sum()
          + " part_p99_ms=" + partP99
          + " playlist_wake_p99_ms=" + Stats.p(b.wake, 99)
          + " late_parts=" + b.late.sum()
          + " held=" + (held ? "yes" : "no"));
    }
    if (!st.errorKinds().isEmpty()) {
      System.out.println("errors seen on: " + st.errorKinds());
    }
    System.out.println(LlHls.detail(st));
    System.out.println(LlHls.summary(st, p.maxSteps * p.step, heldStep * p.step)
        + " held_step=" + heldStep + "/" + p.maxSteps
        + " p99_limit_ms=" + p.p99LimitMs);
  }
}
