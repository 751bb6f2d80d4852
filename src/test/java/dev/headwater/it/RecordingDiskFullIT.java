package dev.headwater.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Recording onto a filesystem that fills up: a 1 MB tmpfs holds a few seconds of the stream. While
 * it is full, recording pauses (metric, retries) and the live stream goes on untouched; once space
 * is back, recording resumes after a discontinuity, and the finished recording lists no segment it
 * does not have.
 */
class RecordingDiskFullIT {
  private Path mount;

  @BeforeEach
  void tinyFilesystem() throws Exception {
    mount = Path.of("target", "it-diskfull-" + System.nanoTime()).toAbsolutePath();
    Files.createDirectories(mount);
    int rc = run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mount.toString());
    if (System.getenv("CI") == null) {
      Assumptions.assumeTrue(rc == 0, "mounting a tmpfs needs root (CI runs as root)");
    }
    assertEquals(0, rc, "mount -t tmpfs (CI runs as root)");
  }

  @AfterEach
  void unmount() throws Exception {
    run("umount", "-l", mount.toString());
  }

  private static int run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor(10, TimeUnit.SECONDS) ? p.exitValue() : -1;
  }

  private static double metric(TestServer server, String name) throws Exception {
    return server
        .get(server.metricsBase() + "/metrics")
        .body()
        .lines()
        .filter(l -> l.startsWith(name + " "))
        .mapToDouble(l -> Double.parseDouble(l.substring(name.length() + 1)))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no metric " + name));
  }

  @Test
  void aFullDiskPausesRecordingWhileTheLiveStreamGoesOn() throws Exception {
    JsonObject config =
        RecordingIT.config(
            Path.of("target", "it-diskfull-data"),
            new JsonObject()
                .put("directory", mount.toString())
                .put("retryMinSeconds", 0.2)
                .put("retryMaxSeconds", 1.0)
                .put("maxPendingSegments", 3));
    try (TestServer server = TestServer.start(config)) {
      Publisher publisher =
          Publisher.ffmpeg(server.headwater.ffmpeg(), server.rtmpUrl("full"), 640, 360, 0);
      try (publisher) {
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(500))
            .until(() -> metric(server, "headwater_recording_paused") == 1.0);
        // Full: the live playlist keeps moving and its media is served.
        String master = server.get("/live/full/master.m3u8").body();
        String variant =
            master.lines().filter(l -> l.endsWith("index.m3u8")).findFirst().orElseThrow();
        String media = "/live/full/" + variant.substring(0, variant.lastIndexOf('/') + 1);
        Playlists.Media before = Playlists.parse(server.get(media + "index.m3u8").body());
        await()
            .atMost(Duration.ofSeconds(15))
            .pollInterval(Duration.ofMillis(500))
            .until(
                () ->
                    Playlists.parse(server.get(media + "index.m3u8").body()).lastMsn()
                        >= before.lastMsn() + 3);
        Playlists.Media during = Playlists.parse(server.get(media + "index.m3u8").body());
        assertEquals(
            200,
            server
                .getBytes(media + during.segmentUris().get(during.segmentUris().size() - 1))
                .statusCode());
        assertEquals(1.0, metric(server, "headwater_recording_paused"), "still full");
        assertTrue(metric(server, "headwater_recording_dropped_groups_total") >= 1);

        // Space comes back: recording resumes on its own.
        assertEquals(0, run("mount", "-o", "remount,size=256m", mount.toString()));
        await()
            .atMost(Duration.ofSeconds(20))
            .pollInterval(Duration.ofMillis(500))
            .until(() -> metric(server, "headwater_recording_paused") == 0.0);
        double resumedAt = metric(server, "headwater_recording_written_bytes_total");
        await()
            .atMost(Duration.ofSeconds(10))
            .pollInterval(Duration.ofMillis(500))
            .until(() -> metric(server, "headwater_recording_written_bytes_total") > resumedAt);
      }
      JsonObject r = server.awaitTheEndedRecording();
      String base = r.getJsonObject("playback").getString("hls");
      base = base.substring(0, base.lastIndexOf('/') + 1);
      String playlist = server.get(base + "360p/index.m3u8").body();
      assertTrue(playlist.contains("#EXT-X-DISCONTINUITY"), playlist);
      List<String> uris = playlist.lines().filter(l -> l.startsWith("s")).toList();
      assertEquals(r.getJsonObject("segmentsByRendition").getInteger("360p"), uris.size());
      for (String uri : uris) {
        assertEquals(200, server.getBytes(base + "360p/" + uri).statusCode(), uri);
      }
    }
  }
}
