package dev.headwater.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headwater.demo.DemoPublisher;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Chromium plays the demo stream (default ladder, burned-in clock) with hls.js in low-latency mode from
 * the player page. Asserts it plays without stalling and reports hls.js's latency and the glass-to-glass
 * latency read from the burned-in clock. {@code -Dheadwater.browser.seconds=60} lengthens the watch.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlayerBrowserIT {
  private static final String CHROMIUM = "/usr/bin/chromium";
  private static final String DRIVER = "/usr/bin/chromedriver";
  private TestServer server;
  private DemoPublisher publisher;
  private ChromeDriver driver;
  private Path profile;

  @BeforeAll
  void start() throws Exception {
    boolean installed = new File(CHROMIUM).canExecute() && new File(DRIVER).canExecute();
    if (System.getenv("CI") == null) {
      Assumptions.assumeTrue(installed, "chromium and chromium-driver not installed (CI installs them)");
    }
    assertTrue(installed, "CI must install chromium and chromium-driver (see .ci/run)");
    JsonObject json = new JsonObject()
        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", TestServer.freePort()))
        .put("rtmp", new JsonObject().put("host", "127.0.0.1").put("port", 0))
        .put("dataDir", "target/it-data");
    server = TestServer.start(json);
    var demo = server.headwater.config().demo();
    publisher = new DemoPublisher(server.headwater.vertx(), server.headwater.ffmpeg(), server.rtmpUrl("demo"), demo.width(), demo.height(), demo.videoBitrateKbps());
    publisher.start();
    profile = Files.createTempDirectory("chromium-profile");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--autoplay-policy=no-user-gesture-required", "--user-data-dir=" + profile);
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(DRIVER)).build();
    driver = new ChromeDriver(service, options);
  }

  @AfterAll
  void stop() throws Exception {
    if (driver != null) {
      driver.quit();
    }
    if (publisher != null) {
      publisher.stop();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void playsInLowLatencyModeWithoutStalling() throws Exception {
    await().atMost(Duration.ofSeconds(60)).until(() -> server.get("/live/demo/master.m3u8").statusCode() == 200);
    driver.get(server.base() + "/?stream=demo");
    JavascriptExecutor js = driver;
    await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(500))
        .until(() -> Boolean.TRUE.equals(js.executeScript("return window.headwater && window.headwater.playing && document.getElementById('video').currentTime > 1")));
    // Let the player settle on its live edge, then watch.
    Thread.sleep(3000);
    js.executeScript("window.headwater.stalls = 0; window.headwater.latencySamples = []; window.headwater.g2gSamples = [];");
    int seconds = Integer.getInteger("headwater.browser.seconds", 20);
    double start = ((Number) js.executeScript("return document.getElementById('video').currentTime")).doubleValue();
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (System.nanoTime() < deadline) {
      Thread.sleep(500);
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> s = (Map<String, Object>) js.executeScript(
        "const h = window.headwater; return {time: document.getElementById('video').currentTime, stalls: h.stalls,"
            + " latency: h.latencySamples, g2g: h.g2gSamples, errors: h.errors, paused: document.getElementById('video').paused};");
    double played = ((Number) s.get("time")).doubleValue() - start;
    double latency = median(s.get("latency"));
    double g2g = median(s.get("g2g"));
    String report = String.format(java.util.Locale.ROOT,
        "browser: watched %d s, played %.2f s, stalls %s, median hls.js latency %.3f s, median glass-to-glass %.3f s (%d clock reads), errors %s",
        seconds, played, s.get("stalls"), latency, g2g, ((List<?>) s.get("g2g")).size(), s.get("errors"));
    System.out.println(report);
    Files.writeString(Path.of("target", "browser-latency.txt"), report + "\n");
    assertEquals(0L, ((Number) s.get("stalls")).longValue(), report);
    assertTrue(played > seconds - 1.5, "playback kept up with real time: " + report);
    assertTrue(latency > 0 && latency < 3.0, report);
    assertTrue(((List<?>) s.get("g2g")).size() > seconds, "the burned-in clock is readable: " + report);
    assertTrue(g2g > 0 && g2g < 4.0, report);
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
