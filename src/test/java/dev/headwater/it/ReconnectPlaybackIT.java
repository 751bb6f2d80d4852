package dev.headwater.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * A stock hls.js (current release, default configuration) in Chromium keeps playing while the
 * publisher drops and reconnects within the grace period: no fatal error, one freeze no longer than
 * the outage plus three seconds, and uninterrupted playback after it.
 *
 * <p>Why two seconds would do, usually: during the outage hls.js's blocking reloads time out (after
 * 0.8 target durations, shorter than the origin's hold) and it polls the unchanged playlist every
 * half target duration, 1 s; so it learns of the new parts up to 1 s after they exist, then fetches
 * and appends them, and may wait for its stall detector (~1.25 s) to nudge over the few
 * milliseconds between the two encoder runs' samples. Measured on 2 cores (2026-12-03): 24 of 26
 * runs froze 1.8-3.15 s for 3.5-3.8 s outages.
 *
 * <p>Why three: a known Headwater defect. When FFmpeg's flush at the end of a run leaves a last
 * audio part that starts after the video's end (one AAC frame, in both traced cases), hls.js never
 * loads that part, and its audio track waits until the new run's first audio segment is complete
 * before it goes on: about 3 s after the video. Those two of the 26 runs froze 5.30 and 5.35 s for
 * 3.65 and 3.72 s outages; in CI one froze 5.60 s for 3.54 s and then skipped the 20 ms hole. The
 * fix (the end of a run trims audio to the video's end, across renditions) is recorded as work.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReconnectPlaybackIT {
  private TestServer server;
  private StockPlayerPage page;
  private ChromeDriver driver;

  @BeforeAll
  void start() throws Exception {
    driver = Browser.start();
    server =
        TestServer.start(
            TestServer.smallLadder()
                .put("ingest", new JsonObject().put("reconnectGraceSeconds", 10.0)));
    page = StockPlayerPage.start(StockPlayerPage.CURRENT);
  }

  @AfterAll
  void stop() throws Exception {
    if (driver != null) {
      driver.quit();
    }
    if (page != null) {
      page.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private Publisher publish() throws Exception {
    return Publisher.ffmpeg(server.headwater.ffmpeg(), server.rtmpUrl("cam"), 640, 360, 0);
  }

  @Test
  void playbackContinuesThroughAPublisherReconnect() throws Exception {
    JavascriptExecutor js = driver;
    Publisher first = publish();
    String session;
    long outageMillis;
    try (first) {
      await()
          .atMost(Duration.ofSeconds(40))
          .until(() -> server.get("/live/cam/master.m3u8").statusCode() == 200);
      session =
          new io.vertx.core.json.JsonArray(server.get("/api/streams").body())
              .getJsonObject(0)
              .getString("session");
      driver.get(page.url(server.base() + "/live/cam/master.m3u8"));
      await()
          .atMost(Duration.ofSeconds(45))
          .pollInterval(Duration.ofMillis(250))
          .until(
              () ->
                  Boolean.TRUE.equals(
                      js.executeScript(
                          "return window.headwater.playing && document.getElementById('video').currentTime > 2")));
      await().pollDelay(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(5)).until(() -> true);
      js.executeScript("window.headwater.freezes = [];");

      long dropped = System.nanoTime();
      first.process.destroyForcibly();
      first.process.waitFor();
      await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> true);
      try (Publisher again = publish()) {
        String playlist = "/live/cam/" + session + "/360p/index.m3u8";
        await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(50))
            .until(
                () -> {
                  String t = server.get(playlist).body();
                  int join = t.indexOf("init-1.mp4");
                  return join > 0 && t.indexOf("#EXT-X-PART:", join) > 0;
                });
        outageMillis = (System.nanoTime() - dropped) / 1_000_000;
        double before =
            ((Number) js.executeScript("return document.getElementById('video').currentTime"))
                .doubleValue();
        await().pollDelay(Duration.ofSeconds(15)).atMost(Duration.ofSeconds(16)).until(() -> true);
        @SuppressWarnings("unchecked")
        Map<String, Object> s =
            (Map<String, Object>)
                js.executeScript(
                    "const h = window.headwater; return {time: document.getElementById('video').currentTime, freezes: h.freezes,"
                        + " frozenFor: h.frozenFor, fatal: h.fatal, errors: h.errors, version: h.version};");
        double played = ((Number) s.get("time")).doubleValue() - before;
        double longest = ((Number) s.get("frozenFor")).doubleValue();
        for (Object f : (List<?>) s.get("freezes")) {
          longest = Math.max(longest, ((Number) f).doubleValue());
        }
        String report =
            String.format(
                Locale.ROOT,
                "reconnect: hls.js %s, outage %d ms, longest freeze %.2f s, played %.1f s in the 15 s after the join, fatal %s, errors %s",
                s.get("version"),
                outageMillis,
                longest,
                played,
                s.get("fatal"),
                s.get("errors"));
        System.out.println(report);
        Files.writeString(Path.of("target", "reconnect-playback.txt"), report + "\n");
        assertEquals(List.of(), s.get("fatal"), report);
        assertTrue(
            longest <= outageMillis / 1000.0 + 3.0,
            "no freeze longer than the outage plus 3 s: " + report);
        // At most the one freeze falls in these 15 s; the rest of them is played.
        assertTrue(played >= 15 - longest - 0.5, "playback goes on after the join: " + report);
      }
    }
  }
}
