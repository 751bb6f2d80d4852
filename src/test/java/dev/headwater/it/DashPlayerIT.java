package dev.headwater.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
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
 * FFmpeg publishes; the current dash.js (its low-latency mode, default settings otherwise) and the
 * current Shaka Player (default configuration) each play {@code /live/NAME/manifest.mpd} in
 * headless Chromium: the playhead advances with real time, with no stall and no error. What the
 * players did with the segment still being produced is logged to target/dash-playback.txt.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashPlayerIT {
  private static final int WATCH_SECONDS = 12;
  private TestServer server;
  private Publisher publisher;
  private ChromeDriver driver;

  @BeforeAll
  void start() throws Exception {
    driver = Browser.start();
    server = TestServer.start(TestServer.smallLadder());
    publisher = Publisher.ffmpeg(server.headwater.ffmpeg(), server.rtmpUrl("dash"), 640, 360, 0);
    await()
        .atMost(Duration.ofSeconds(40))
        .until(() -> server.get("/live/dash/manifest.mpd").statusCode() == 200);
  }

  @AfterAll
  void stop() throws Exception {
    if (driver != null) {
      driver.quit();
    }
    if (publisher != null) {
      publisher.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void servesALiveMpdAndAClock() throws Exception {
    HttpResponse<String> mpd = server.get("/live/dash/manifest.mpd");
    assertEquals("application/dash+xml", mpd.headers().firstValue("Content-Type").orElse(""));
    assertEquals(
        "public, max-age=0, s-maxage=1", mpd.headers().firstValue("Cache-Control").orElse(""));
    assertTrue(mpd.body().contains("type=\"dynamic\""), mpd.body());
    MpdConformance.check("live", mpd.body());
    String session =
        new io.vertx.core.json.JsonArray(server.get("/api/streams").body())
            .getJsonObject(0)
            .getString("session");
    HttpResponse<String> own = server.get("/live/dash/" + session + "/manifest.mpd");
    assertEquals(200, own.statusCode());
    assertTrue(own.body().contains("media=\"$RepresentationID$/s$Number$.m4s\""), own.body());
    assertEquals(404, server.get("/live/other/manifest.mpd").statusCode());

    HttpResponse<String> time = server.get("/time");
    assertEquals("no-store", time.headers().firstValue("Cache-Control").orElse(""));
    long skew = Duration.between(Instant.parse(time.body()), Instant.now()).abs().toMillis();
    assertTrue(skew < 2000, "the clock is the server's: " + time.body());
  }

  @Test
  void dashJsPlaysInLowLatencyMode() throws Exception {
    Map<String, Object> s = watch(DashPlayerPage.Player.DASHJS);
    assertEquals(Boolean.TRUE, s.get("lowLatency"), "dash.js turned its low-latency mode on");
  }

  @Test
  void shakaPlays() throws Exception {
    watch(DashPlayerPage.Player.SHAKA);
  }

  private Map<String, Object> watch(DashPlayerPage.Player player) throws Exception {
    try (DashPlayerPage page = DashPlayerPage.start(player)) {
      JavascriptExecutor js = driver;
      driver.get(page.url(server.base() + "/live/dash/manifest.mpd"));
      await()
          .atMost(Duration.ofSeconds(45))
          .pollInterval(Duration.ofMillis(250))
          .until(
              () ->
                  Boolean.TRUE.equals(
                      js.executeScript(
                          "return window.headwater && window.headwater.playing && document.getElementById('video').currentTime > 1")));
      await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> true);
      js.executeScript(
          "const h = window.headwater; h.stalls = 0; h.freezes = []; h.latencySamples = []; h.segments = [];");
      double before = currentTime(js);
      await()
          .pollDelay(Duration.ofSeconds(WATCH_SECONDS))
          .atMost(Duration.ofSeconds(WATCH_SECONDS + 1))
          .until(() -> true);
      @SuppressWarnings("unchecked")
      Map<String, Object> s =
          (Map<String, Object>)
              js.executeScript(
                  "const h = window.headwater; return {time: document.getElementById('video').currentTime,"
                      + " stalls: h.stalls, freezes: h.freezes, errors: h.errors, fatal: h.fatal,"
                      + " version: h.version, lowLatency: h.lowLatency, latency: h.latencySamples,"
                      + " segments: h.segments};");
      double played = ((Number) s.get("time")).doubleValue() - before;
      String report = report(player, s, played);
      System.out.println(report);
      Files.writeString(
          Path.of("target", "dash-playback.txt"),
          report + "\n",
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      assertEquals(List.of(), s.get("fatal"), report);
      assertEquals(0L, ((Number) s.get("stalls")).longValue(), "no stall: " + report);
      assertTrue(played >= WATCH_SECONDS - 1.5, "playback kept up with real time: " + report);
      return s;
    }
  }

  private static double currentTime(JavascriptExecutor js) {
    return ((Number) js.executeScript("return document.getElementById('video').currentTime"))
        .doubleValue();
  }

  /**
   * One line: versions, what played, latency, and the segment requests: how many, how many took
   * over half a segment (served while in progress), how many failed.
   */
  static String report(DashPlayerPage.Player player, Map<String, Object> s, double played) {
    List<?> segments = (List<?>) s.get("segments");
    int slow = 0;
    int failed = 0;
    double firstByte = 0;
    for (Object o : segments) {
      Map<?, ?> m = (Map<?, ?>) o;
      if (((Number) m.get("total")).doubleValue() > 1000) {
        slow++;
      }
      int status = ((Number) m.get("status")).intValue();
      if (status >= 400) {
        failed++;
      }
      firstByte = Math.max(firstByte, ((Number) m.get("firstByte")).doubleValue());
    }
    List<?> latency = (List<?>) s.get("latency");
    double median =
        latency.isEmpty()
            ? Double.NaN
            : latency.stream()
                .mapToDouble(o -> ((Number) o).doubleValue())
                .sorted()
                .toArray()[latency.size() / 2];
    return String.format(
        Locale.ROOT,
        "dash (%s %s): played %.2f s, stalls %s, freezes %s, median latency %.2f s, low-latency mode %s,"
            + " %d segment requests (%d took > 1 s: served while in progress; %d failed; slowest first byte %.0f ms), errors %s",
        player.param,
        s.get("version"),
        played,
        s.get("stalls"),
        s.get("freezes"),
        median,
        s.get("lowLatency"),
        segments.size(),
        slow,
        failed,
        firstByte,
        s.get("errors"));
  }
}
