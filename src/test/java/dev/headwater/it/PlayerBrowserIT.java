package dev.headwater.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headwater.demo.DemoPublisher;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Chromium plays the demo stream (default ladder, burned-in clock) with hls.js in low-latency mode
 * from the player page. Asserts it plays without stalling and reports hls.js's latency and the
 * glass-to-glass latency read from the burned-in clock. {@code -Dheadwater.browser.seconds=60}
 * lengthens the watch.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlayerBrowserIT {
  private TestServer server;
  private DemoPublisher publisher;
  private ChromeDriver driver;

  @BeforeAll
  void start() throws Exception {
    JsonObject json =
        new JsonObject()
            .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0))
            .put("rtmp", new JsonObject().put("host", "127.0.0.1").put("port", 0))
            .put("dataDir", "target/it-data");
    server = TestServer.start(json);
    var demo = server.headwater.config().demo();
    publisher =
        new DemoPublisher(
            server.headwater.vertx(),
            server.headwater.ffmpeg(),
            server.rtmpUrl("demo"),
            demo.width(),
            demo.height(),
            demo.videoBitrateKbps());
    publisher.start();
  }

  /**
   * A fresh Chromium per player, as a viewer joins (and as the benchmarks do): what one page left
   * behind in the browser (its connections, its media pipeline) is not the next page's start.
   */
  @BeforeEach
  void openBrowser() throws Exception {
    driver = Browser.start();
  }

  @AfterEach
  void closeBrowser() {
    if (driver != null) {
      driver.quit();
      driver = null;
    }
  }

  @AfterAll
  void stop() throws Exception {
    if (publisher != null) {
      publisher.stop();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void playerPagePlaysInLowLatencyModeWithoutStalling() throws Exception {
    Map<String, Object> s =
        watch("player page, hls.js " + StockPlayerPage.WEBJAR, server.base() + "/?stream=demo");
    assertEquals(0L, ((Number) s.get("stalls")).longValue(), (String) s.get("report"));
  }

  /**
   * The page's DASH switch: dash.js, which the build fetched with npm into webroot/vendor, plays
   * the MPD of the same stream. Without npm the page offers HLS only (README, "URLs").
   */
  @Test
  void playerPagePlaysLlDashWithDashJs() throws Exception {
    Assumptions.assumeTrue(
        getClass().getResource("/webroot/vendor/dashjs/dash.all.min.js") != null,
        "dash.js not bundled: this build ran without npm");
    Map<String, Object> s =
        watch("player page, dash.js", server.base() + "/?stream=demo&protocol=dash");
    assertEquals(0L, ((Number) s.get("stalls")).longValue(), (String) s.get("report"));
    assertEquals(List.of(), s.get("errors"), (String) s.get("report"));
  }

  @Test
  void stockCurrentHlsJsPlaysTheStream() throws Exception {
    try (StockPlayerPage page = StockPlayerPage.start(StockPlayerPage.CURRENT)) {
      Map<String, Object> s =
          watch(
              "stock hls.js " + StockPlayerPage.CURRENT,
              page.url(server.base() + "/live/demo/master.m3u8"));
      assertEquals(List.of(), s.get("fatal"), (String) s.get("report"));
    }
  }

  /**
   * Opens a page, lets its player settle on the live edge, watches for {@code
   * headwater.browser.seconds} and checks what holds for any player: playback keeps up with real
   * time, the burned-in clock is read, and the stream is live rather than replayed from the start
   * of the window (latency under three target durations, the classic HLS hold-back). The latency
   * figures go to target/browser-latency.txt; the targets are the benchmarks'
   * (loadtest/bench/latency-stock.sh), not a test's on a shared machine.
   */
  private Map<String, Object> watch(String name, String url) throws Exception {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> server.get("/live/demo/master.m3u8").statusCode() == 200);
    driver.get(url);
    JavascriptExecutor js = driver;
    await()
        .atMost(Duration.ofSeconds(45))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                Boolean.TRUE.equals(
                    js.executeScript(
                        "return window.headwater && window.headwater.playing && document.getElementById('video').currentTime > 1")));
    await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> true);
    js.executeScript(
        "window.headwater.stalls = 0; window.headwater.latencySamples = []; window.headwater.g2gSamples = [];");
    int seconds = Integer.getInteger("headwater.browser.seconds", 20);
    double start =
        ((Number) js.executeScript("return document.getElementById('video').currentTime"))
            .doubleValue();
    await()
        .pollDelay(Duration.ofSeconds(seconds))
        .atMost(Duration.ofSeconds(seconds + 1))
        .until(() -> true);
    @SuppressWarnings("unchecked")
    Map<String, Object> s =
        new java.util.HashMap<>(
            (Map<String, Object>)
                js.executeScript(
                    "const h = window.headwater; return {time: document.getElementById('video').currentTime, stalls: h.stalls,"
                        + " latency: h.latencySamples, g2g: h.g2gSamples, errors: h.errors, fatal: h.fatal || [],"
                        + " paused: document.getElementById('video').paused};"));
    double played = ((Number) s.get("time")).doubleValue() - start;
    double latency = median(s.get("latency"));
    double g2g = median(s.get("g2g"));
    String report =
        String.format(
            java.util.Locale.ROOT,
            "browser (%s): watched %d s, played %.2f s, stalls %s, median hls.js latency %.3f s, median glass-to-glass %.3f s (%d clock reads), errors %s",
            name,
            seconds,
            played,
            s.get("stalls"),
            latency,
            g2g,
            ((List<?>) s.get("g2g")).size(),
            s.get("errors"));
    System.out.println(report);
    Files.writeString(
        Path.of("target", "browser-latency.txt"),
        report + "\n",
        java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
    s.put("report", report);
    assertTrue(played > seconds - 1.5, "playback kept up with real time: " + report);
    assertTrue(
        ((List<?>) s.get("g2g")).size() > seconds, "the burned-in clock is readable: " + report);
    assertTrue(latency > 0 && latency < 6.0, "live, not replaying the window: " + report);
    assertTrue(g2g > 0 && g2g < 7.0, report);
    return s;
  }

  private static double median(Object samples) {
    List<Double> v = new ArrayList<>();
    for (Object o : (List<?>) samples) {
      v.add(((Number) o).doubleValue());
    }
    if (v.isEmpty()) {
      return Double.NaN;
    }
    Collections.sort(v);
    return v.get(v.size() / 2);
  }
}
