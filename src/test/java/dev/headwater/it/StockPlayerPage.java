package dev.headwater.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Serves the stock-player page (src/test/resources/stock-player) with a chosen hls.js build on a
 * loopback port of its own, so the page plays Headwater cross-origin like any third-party player
 * would: hls.js 1.4.12 from the WebJar the player page uses, or the current release installed from
 * npm into src/test/js.
 */
final class StockPlayerPage implements AutoCloseable {
  /** The hls.js release the player page ships (WebJar). */
  static final String WEBJAR = "1.4.12";

  /** The current hls.js release, from npm (src/test/js/package.json). */
  static final String CURRENT = "current";

  private final HttpServer server;

  private StockPlayerPage(HttpServer server) {
    this.server = server;
  }

  static StockPlayerPage start(String hlsjs) throws IOException {
    PlaylistConformance.ensureNodeModules();
    byte[] library =
        hlsjs.equals(WEBJAR)
            ? PageServer.resource(
                "/META-INF/resources/webjars/hls.js/" + WEBJAR + "/dist/hls.min.js")
            : Files.readAllBytes(
                Path.of("src", "test", "js", "node_modules", "hls.js", "dist", "hls.min.js"));
    Map<String, byte[]> files =
        Map.of(
            "/", PageServer.resource("/stock-player/index.html"),
            "/hls.js", library,
            "/clock.js", PageServer.resource("/webroot/clock.js"));
    HttpServer server = PageServer.start(files);
    return new StockPlayerPage(server);
  }

  /** The page playing {@code masterUrl}. */
  String url(String masterUrl) {
    return "http://127.0.0.1:"
        + server.getAddress().getPort()
        + "/?src="
        + URLEncoder.encode(masterUrl, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    server.stop(0);
  }

  /** Plays {@code url} until it runs, then watches; what the page recorded, and "played". */
  static Map<String, Object> watch(ChromeDriver driver, String url, int watchSeconds) {
    driver.get(url);
    JavascriptExecutor js = driver;
    await()
        .atMost(Duration.ofSeconds(45))
        .pollInterval(Duration.ofMillis(250))
        .failFast(
            "the player failed",
            () ->
                assertEquals(
                    List.of(),
                    js.executeScript("return window.headwater ? window.headwater.fatal : []"),
                    () ->
                        "fatal player errors; all errors: "
                            + js.executeScript(
                                "return window.headwater ? window.headwater.errors : []")))
        .until(
            () ->
                Boolean.TRUE.equals(
                    js.executeScript(
                        "return window.headwater && window.headwater.playing && document.getElementById('video').currentTime > 1")));
    js.executeScript("window.headwater.stalls = 0;");
    double before = currentTime(js);
    await()
        .pollDelay(Duration.ofSeconds(watchSeconds))
        .atMost(Duration.ofSeconds(watchSeconds + 1))
        .until(() -> true);
    @SuppressWarnings("unchecked")
    Map<String, Object> s =
        new java.util.HashMap<>(
            (Map<String, Object>)
                js.executeScript(
                    "const h = window.headwater; return {stalls: h.stalls, errors: h.errors,"
                        + " fatal: h.fatal || [], version: h.version, lowLatency: h.lowLatency};"));
    s.put("played", currentTime(js) - before);
    return s;
  }

  static double currentTime(JavascriptExecutor js) {
    return ((Number) js.executeScript("return document.getElementById('video').currentTime"))
        .doubleValue();
  }
}
