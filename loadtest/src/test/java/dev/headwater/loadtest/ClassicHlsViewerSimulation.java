package dev.headwater.loadtest;

/**
 * {@code users} classic (non-LL) HLS viewers, see {@link ClassicHls}: they poll the media
 * playlists without directives every target duration and download whole segments.
 *
 * <pre>
 * mvn -f loadtest/pom.xml gatling:test -Dgatling.simulationClass=dev.headwater.loadtest.ClassicHlsViewerSimulation \
 *     -Dbase=http://127.0.0.1:8080 -Dusers=50 -DdurationSeconds=60
 * </pre>
 */
public class ClassicHlsViewerSimulation extends ViewerSimulation {
  public ClassicHlsViewerSimulation() {
    super(
        (p, running) -> ClassicHls.videoScenario("Classic HLS viewer", p, running),
        running -> ClassicHls.audioScenario("Classic HLS viewer", running),
        ClassicHls::summary);
  }
}
