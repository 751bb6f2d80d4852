package dev.headwater.loadtest;

/**
 * {@code users} LL-HLS viewers (hls.js in low-latency mode, see {@link LlHls}), started evenly over
 * {@code rampSeconds}; all of them stop {@code durationSeconds} after the start of the run.
 *
 * <pre>
 * mvn -f loadtest/pom.xml gatling:test -Dgatling.simulationClass=dev.headwater.loadtest.LlHlsViewerSimulation \
 *     -Dbase=http://127.0.0.1:8080 -Dusers=50 -DdurationSeconds=60
 * </pre>
 */
public class LlHlsViewerSimulation extends ViewerSimulation {
  public LlHlsViewerSimulation() {
    super(
        (p, running) -> LlHls.videoScenario("LL-HLS viewer", p, running),
        running -> LlHls.audioScenario("LL-HLS viewer", running),
        st -> LlHls.detail(st) + System.lineSeparator() + LlHls.summary(st, st.viewers(), st.heldViewers()));
  }
}
