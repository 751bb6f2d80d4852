package dev.headwater.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Recording and replay end to end on local disk: FFmpeg publishes 30 s, the stream ends, the origin
 * restarts on the same storage, and the recording is replayed: listed by /api/recordings, every
 * segment of every rendition served, ffprobe's duration within 1 % of what was published, and
 * hls.js in Chromium plays it to its end after a seek.
 */
class RecordingIT {
  static final double PUBLISHED_SECONDS = 30.0;

  /** The server's configuration: the small ladder, recording every stream, ending at once. */
  static JsonObject config(Path dataDir, JsonObject recording) {
    return TestServer.smallLadder()
        .put("dataDir", dataDir.toString())
        .put("ingest", new JsonObject().put("reconnectGraceSeconds", 0.0))
        .put("recording", recording.put("streams", "all"));
  }

  @Test
  void recordsReplaysAfterARestartAndPlaysToTheEnd() throws Exception {
    Path data = Path.of("target", "it-recording-" + System.nanoTime());
    replayAfterRestart(config(data, new JsonObject()));
  }

  /** Publishes, ends, restarts, checks the replay. Shared by the storage backends' tests. */
  static void replayAfterRestart(JsonObject config) throws Exception {
    try (TestServer first = TestServer.start(config)) {
      Publisher publisher =
          Publisher.ffmpeg(
              first.headwater.ffmpeg(), first.rtmpUrl("rec"), 640, 360, PUBLISHED_SECONDS);
      try (publisher) {
        await()
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofSeconds(1))
            .until(() -> !publisher.process.isAlive());
      }
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () ->
                  recordings(first).size() == 1
                      && recordings(first).getJsonObject(0).getBoolean("ended"));
    }
    try (TestServer second = TestServer.start(config)) {
      JsonArray list = recordings(second);
      assertEquals(1, list.size(), list.encodePrettily());
      JsonObject r = list.getJsonObject(0);
      assertEquals("rec", r.getString("name"));
      assertTrue(r.getBoolean("ended"));
      assertEquals(List.of("360p", "240p", "audio"), r.getJsonArray("renditions").getList());
      String master = second.base() + r.getJsonObject("playback").getString("hls");
      allSegmentsServed(second, master, r);

      double probed = second.probeDuration(master);
      assertTrue(
          Math.abs(probed - PUBLISHED_SECONDS) <= PUBLISHED_SECONDS * 0.01,
          "ffprobe reads "
              + probed
              + " s of the replay; "
              + PUBLISHED_SECONDS
              + " s were published");
      assertEquals(probed, r.getDouble("durationSeconds"), PUBLISHED_SECONDS * 0.01);

      playsToTheEnd(master, probed);
    }
  }

  static JsonArray recordings(TestServer server) throws Exception {
    HttpResponse<String> res = server.get("/api/recordings");
    assertEquals(200, res.statusCode());
    return new JsonArray(res.body());
  }

  /** Each rendition lists the same segments, with no MSN missing, and each is served. */
  private static void allSegmentsServed(TestServer server, String master, JsonObject r)
      throws Exception {
    String base = master.substring(0, master.lastIndexOf('/') + 1);
    int segments = r.getInteger("segments");
    for (Object rendition : r.getJsonArray("renditions")) {
      HttpResponse<String> playlist = server.get(base + rendition + "/index.m3u8");
      assertEquals(200, playlist.statusCode());
      String text = playlist.body();
      assertTrue(
          text.contains("#EXT-X-PLAYLIST-TYPE:VOD") && text.endsWith("#EXT-X-ENDLIST\n"), text);
      List<String> uris = text.lines().filter(l -> l.startsWith("s")).toList();
      assertEquals(segments, uris.size(), text);
      for (int i = 0; i < uris.size(); i++) {
        assertEquals(
            "s" + i + ".m4s", uris.get(i), "segment " + i + " of " + rendition + " is missing");
        HttpResponse<byte[]> media = server.getBytes(base + rendition + "/" + uris.get(i));
        assertEquals(200, media.statusCode(), uris.get(i));
        assertTrue(media.body().length > 0);
      }
    }
  }

  /** hls.js 1.4.12 (the player page's) plays the replay: a seek, then to its end. */
  private static void playsToTheEnd(String master, double duration) throws Exception {
    ChromeDriver driver = Browser.start();
    try (StockPlayerPage page = StockPlayerPage.start(StockPlayerPage.WEBJAR)) {
      driver.get(page.url(master));
      JavascriptExecutor js = driver;
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  Boolean.TRUE.equals(
                      js.executeScript(
                          "return window.headwater.playing && document.getElementById('video').currentTime > 1")));
      double seekTo = duration - 10;
      js.executeScript(
          "const v = document.getElementById('video'); v.currentTime = arguments[0]; v.playbackRate = 2;",
          seekTo);
      await()
          .atMost(Duration.ofSeconds(40))
          .pollInterval(Duration.ofMillis(250))
          .until(
              () ->
                  Boolean.TRUE.equals(
                      js.executeScript("return document.getElementById('video').ended")));
      @SuppressWarnings("unchecked")
      Map<String, Object> state =
          (Map<String, Object>)
              js.executeScript(
                  "const v = document.getElementById('video'); return {time: v.currentTime, fatal: window.headwater.fatal, errors: window.headwater.errors};");
      assertEquals(List.of(), state.get("fatal"), state.toString());
      assertEquals(duration, ((Number) state.get("time")).doubleValue(), 0.5, state.toString());
    } finally {
      driver.quit();
    }
  }
}
