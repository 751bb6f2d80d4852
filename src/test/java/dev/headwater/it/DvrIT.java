package dev.headwater.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * DVR on a live stream: after the first segments left the origin's memory, the DVR playlist still
 * lists them under their live URLs, they are served from the recording, and ffprobe plays the whole
 * rewindable span.
 */
class DvrIT {
  @Test
  void rewindsPastTheLiveWindowIntoTheRecording() throws Exception {
    Path data = Path.of("target", "it-dvr-" + System.nanoTime());
    JsonObject config = RecordingIT.config(data, new JsonObject());
    // A short live window (6 + 2 segments in memory), so segment 0 leaves memory after ~16 s.
    config
        .getJsonObject("hls")
        .put("windowSegments", 6)
        .put("retainedSegmentsAfterRemoval", 2)
        .put("skipBoundarySeconds", 0.0);
    try (TestServer server = TestServer.start(config)) {
      Publisher publisher =
          Publisher.ffmpeg(server.headwater.ffmpeg(), server.rtmpUrl("dvr"), 640, 360, 0);
      try (publisher) {
        String master = server.base() + "/live/dvr/master.m3u8";
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofSeconds(1))
            .until(
                () ->
                    server.get(master).statusCode() == 200
                        && !liveSegments(server, master).isEmpty()
                        && Playlists.parse(server.get(mediaPlaylist(server, master)).body())
                                .mediaSequence()
                            > 0
                        && server.getBytes(base(server, master) + "s0.m4s").statusCode() == 200
                        && stillLiveWindowMovedOn(server, master));
        String dvrMaster = server.get(server.base() + "/live/dvr/dvr.m3u8").body();
        assertTrue(dvrMaster.contains("/360p/dvr.m3u8"), dvrMaster);
        String dvr = server.get(base(server, master) + "dvr.m3u8").body();
        assertTrue(dvr.contains("#EXT-X-PLAYLIST-TYPE:EVENT"), dvr);
        assertTrue(dvr.contains("#EXT-X-MEDIA-SEQUENCE:0\n"), dvr);
        assertTrue(dvr.lines().anyMatch(l -> l.equals("s0.m4s")), dvr);
        // s0 left memory: it comes from the recording, byte for byte.
        byte[] served = server.getBytes(base(server, master) + "s0.m4s").body();
        Path stored = Files.list(data.resolve("recordings/dvr")).findFirst().orElseThrow();
        assertArrayEquals(Files.readAllBytes(stored.resolve("360p/s0.m4s")), served);
        // LL-DASH reaches back as far: the live MPD's time-shift buffer is the DVR window, and
        // its segment numbers below memory are the ones just served from the recording.
        String mpd = server.get(server.base() + "/live/dvr/manifest.mpd").body();
        MpdConformance.check("live MPD with DVR", mpd);
        assertTrue(mpd.contains("timeShiftBufferDepth=\"PT3600S\""), mpd);
        // ...and it decodes: init section (also from the recording, once memory dropped it) + s0.
        byte[] init = server.getBytes(base(server, master) + "init-0.mp4").body();
        byte[] mp4 = new byte[init.length + served.length];
        System.arraycopy(init, 0, mp4, 0, init.length);
        System.arraycopy(served, 0, mp4, init.length, served.length);
        JsonObject probe = server.probe(mp4);
        assertEquals("60", probe.getString("nb_read_frames"), probe.encode());
        rewindWithHlsJs(server.base() + "/live/dvr/dvr.m3u8");
      }
    }
  }

  private static String mediaPlaylist(TestServer server, String master) throws Exception {
    return base(server, master) + "index.m3u8";
  }

  private static String base(TestServer server, String master) throws Exception {
    String variant =
        server
            .get(master)
            .body()
            .lines()
            .filter(l -> l.endsWith("/360p/index.m3u8"))
            .findFirst()
            .orElseThrow();
    return server.base() + "/live/dvr/" + variant.substring(0, variant.lastIndexOf('/') + 1);
  }

  private static List<String> liveSegments(TestServer server, String master) throws Exception {
    return Playlists.parse(server.get(mediaPlaylist(server, master)).body()).segmentUris();
  }

  /** Segment 0 is no longer in memory: the live window starts past the retained segments. */
  private static boolean stillLiveWindowMovedOn(TestServer server, String master) throws Exception {
    return Playlists.parse(server.get(mediaPlaylist(server, master)).body()).mediaSequence() >= 4;
  }

  /**
   * hls.js (the player page's) joins the DVR playlist, rewinds to its start and plays from there.
   */
  private static void rewindWithHlsJs(String dvrMaster) throws Exception {
    ChromeDriver driver = Browser.start();
    try (StockPlayerPage page = StockPlayerPage.start(StockPlayerPage.WEBJAR)) {
      driver.get(page.url(dvrMaster));
      JavascriptExecutor js = driver;
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> Boolean.TRUE.equals(js.executeScript("return window.headwater.playing")));
      js.executeScript("document.getElementById('video').currentTime = 0.5;");
      // Playing from the start: media that left the origin's memory, served from the recording.
      await()
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(250))
          .until(
              () -> {
                Number t =
                    (Number)
                        js.executeScript("return document.getElementById('video').currentTime");
                return t.doubleValue() > 2.0 && t.doubleValue() < 8.0;
              });
      assertEquals(List.of(), js.executeScript("return window.headwater.fatal"));
    } finally {
      driver.quit();
    }
  }
}
