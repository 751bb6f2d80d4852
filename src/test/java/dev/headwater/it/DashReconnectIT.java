package dev.headwater.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
 * dash.js (current release, low-latency mode) keeps playing {@code /live/NAME/manifest.mpd} while
 * the publisher drops and reconnects within the grace period: the MPD gains a second Period, and
 * the player crosses into it with no fatal error and no freeze longer than the outage plus an MPD
 * reload period and a second. Then the publisher leaves for good and the MPD turns static.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashReconnectIT {
  private TestServer server;
  private DashPlayerPage page;
  private ChromeDriver driver;

  @BeforeAll
  void start() throws Exception {
    driver = Browser.start();
    server =
        TestServer.start(
            TestServer.smallLadder()
                .put("ingest", new JsonObject().put("reconnectGraceSeconds", 10.0)));
    page = DashPlayerPage.start(DashPlayerPage.Player.DASHJS);
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
  void dashJsPlaysThroughAPublisherReconnectAndTheMpdEndsStatic() throws Exception {
    JavascriptExecutor js = driver;
    String mpd = "/live/cam/manifest.mpd";
    long outageMillis;
    try (Publisher first = publish()) {
      await().atMost(Duration.ofSeconds(40)).until(() -> server.get(mpd).statusCode() == 200);
      driver.get(page.url(server.base() + mpd));
      await()
          .atMost(Duration.ofSeconds(45))
          .pollInterval(Duration.ofMillis(250))
          .until(
              () ->
                  Boolean.TRUE.equals(
                      js.executeScript(
                          "return window.headwater.playing && document.getElementById('video').currentTime > 2")));
      await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> true);
      js.executeScript("window.headwater.freezes = []; window.headwater.segments = [];");

      long dropped = System.nanoTime();
      first.process.destroyForcibly();
      first.process.waitFor();
      await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> true);
      try (Publisher again = publish()) {
        await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(100))
            .until(() -> server.get(mpd).body().contains("<Period id=\"run1\""));
        outageMillis = (System.nanoTime() - dropped) / 1_000_000;
        String live = server.get(mpd).body();
        MpdConformance.check("live, two periods", live);
        assertTrue(live.contains("<Period id=\"run0\""), "the first run's Period stays: " + live);
        double before = currentTime(js);
        await().pollDelay(Duration.ofSeconds(15)).atMost(Duration.ofSeconds(16)).until(() -> true);
        @SuppressWarnings("unchecked")
        Map<String, Object> s =
            (Map<String, Object>)
                js.executeScript(
                    "const h = window.headwater; return {time: document.getElementById('video').currentTime,"
                        + " freezes: h.freezes, frozenFor: h.frozenFor, fatal: h.fatal, errors: h.errors,"
                        + " version: h.version, stalls: h.stalls, lowLatency: h.lowLatency,"
                        + " latency: h.latencySamples, segments: h.segments};");
        double played = ((Number) s.get("time")).doubleValue() - before;
        double longest = ((Number) s.get("frozenFor")).doubleValue();
        for (Object f : (List<?>) s.get("freezes")) {
          longest = Math.max(longest, ((Number) f).doubleValue());
        }
        String report =
            String.format(
                Locale.ROOT,
                "dash reconnect: outage %d ms, longest freeze %.2f s, played %.1f s in the 15 s after the join; %s",
                outageMillis,
                longest,
                played,
                DashPlayerIT.report(DashPlayerPage.Player.DASHJS, s, played));
        System.out.println(report);
        Files.writeString(
            Path.of("target", "dash-playback.txt"),
            report + "\n",
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
        assertEquals(List.of(), s.get("fatal"), report);
        // A DASH player learns of the new Period at its next MPD reload (minimumUpdatePeriod, one
        // segment: 2 s), an HLS player at its next blocking playlist reload (at once); then dash.js
        // at the 1.2 s target latency re-buffers into the new Period: 4.4 s and 7.4 s freezes were
        // seen for a 3.4 s outage (loadtest/RESULTS.md). The bound: outage + two MPD reloads + 1 s.
        assertTrue(
            longest <= outageMillis / 1000.0 + 5.0,
            "no freeze longer than the outage plus two MPD reloads plus 1 s: " + report);
        assertTrue(played > 12, "playback goes on after the join: " + report);
      }
    }
    // Gone for good: after the grace period the stream ends and the MPD turns static.
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> server.get(mpd).body().contains("type=\"static\""));
    var ended = server.get(mpd);
    MpdConformance.check("static", ended.body());
    assertTrue(ended.body().contains("mediaPresentationDuration=\"PT"), ended.body());
    assertTrue(
        ended.headers().firstValue("Cache-Control").orElse("").startsWith("public, max-age="),
        ended.headers().toString());
  }

  private static double currentTime(JavascriptExecutor js) {
    return ((Number) js.executeScript("return document.getElementById('video').currentTime"))
        .doubleValue();
  }
}
