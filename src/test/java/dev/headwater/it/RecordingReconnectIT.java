package dev.headwater.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A publisher reconnecting inside its grace period continues the session, and so the recording: one
 * recording, a discontinuity and a new init section where the second encoder run starts, every
 * segment served, and ffprobe reads both runs' media.
 */
class RecordingReconnectIT {
  static final double EACH_SECONDS = 8.0;

  @Test
  void aReconnectKeepsItsDiscontinuityInTheRecording() throws Exception {
    JsonObject config =
        RecordingIT.config(
            Path.of("target", "it-recording-reconnect-" + System.nanoTime()), new JsonObject());
    config.getJsonObject("ingest").put("reconnectGraceSeconds", 4.0);
    try (TestServer server = TestServer.start(config)) {
      for (int i = 0; i < 2; i++) {
        Publisher p =
            Publisher.ffmpeg(
                server.headwater.ffmpeg(), server.rtmpUrl("again"), 640, 360, EACH_SECONDS);
        try (p) {
          await()
              .atMost(Duration.ofSeconds(60))
              .pollInterval(Duration.ofMillis(500))
              .until(() -> !p.process.isAlive());
        }
      }
      JsonObject r = server.awaitTheEndedRecording();
      String master = server.base() + r.getJsonObject("playback").getString("hls");
      String base = master.substring(0, master.lastIndexOf('/') + 1);
      for (String rendition : List.of("360p", "audio")) {
        String text = server.get(base + rendition + "/index.m3u8").body();
        assertTrue(
            text.contains("#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI=\"init-1.mp4\""),
            "the second run starts with a discontinuity and its own init section: " + text);
        assertEquals(1, text.split("#EXT-X-DISCONTINUITY\n", -1).length - 1, text);
        for (String uri :
            text.lines().filter(l -> l.startsWith("s") || l.contains("init-")).toList()) {
          String file = uri.startsWith("#") ? uri.replaceAll(".*URI=\"([^\"]+)\".*", "$1") : uri;
          assertEquals(200, server.getBytes(base + rendition + "/" + file).statusCode(), file);
        }
      }
      // Each rendition replays both runs (ffprobe's HLS reader does not follow discontinuities:
      // dash.js plays this case through in RecordingIT).
      for (String rendition : List.of("360p", "audio")) {
        double listed =
            server
                .get(base + rendition + "/index.m3u8")
                .body()
                .lines()
                .filter(l -> l.startsWith("#EXTINF:"))
                .mapToDouble(l -> Double.parseDouble(l.substring(8, l.indexOf(','))))
                .sum();
        assertEquals(2 * EACH_SECONDS, listed, 2 * EACH_SECONDS * 0.01, rendition);
      }
      assertEquals(2 * EACH_SECONDS, r.getDouble("durationSeconds"), 2 * EACH_SECONDS * 0.01);
    }
  }
}
