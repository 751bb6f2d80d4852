import java.io.File;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Opens Headwater's player page in headless Chromium (hls.js, low-latency mode), lets it settle, then
 * samples for SECONDS: hls.js's latency and the glass-to-glass latency read from the burned-in clock.
 * Prints one line: NAME played stalls latency_median g2g_median g2g_p90.
 *
 * Usage: java -cp SELENIUM_CLASSPATH LatencyProbe.java NAME PAGE_URL SECONDS
 */
public class LatencyProbe {
  public static void main(String[] args) throws Exception {
    String name = args[0];
    String page = args[1];
    int seconds = Integer.parseInt(args[2]);
    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--autoplay-policy=no-user-gesture-required", "--user-data-dir=" + Files.createTempDirectory("probe"));
    ChromeDriver driver = new ChromeDriver(
        new ChromeDriverService.Builder().usingDriverExecutable(new File("/usr/bin/chromedriver")).build(), options);
    try {
      driver.get(page);
      JavascriptExecutor js = driver;
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (!Boolean.TRUE.equals(js.executeScript(
          "return !!(window.headwater && window.headwater.playing && document.getElementById('video').currentTime > 1)"))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(name + ": playback did not start; errors " + js.executeScript("return window.headwater.errors"));
        }
        Thread.sleep(500);
      }
      Thread.sleep(5000);
      js.executeScript("const h = window.headwater; h.stalls = 0; h.latencySamples = []; h.g2gSamples = [];");
      double start = ((Number) js.executeScript("return document.getElementById('video').currentTime")).doubleValue();
      Thread.sleep(seconds * 1000L);
      @SuppressWarnings("unchecked")
      Map<String, Object> s = (Map<String, Object>) js.executeScript(
          "const h = window.headwater; return {time: document.getElementById('video').currentTime, stalls: h.stalls, latency: h.latencySamples, g2g: h.g2gSamples};");
      List<Double> lat = numbers(s.get("latency"));
      List<Double> g2g = numbers(s.get("g2g"));
      System.out.printf(Locale.ROOT, "%-28s played=%.1fs stalls=%s hlsjs_latency_median=%.2fs g2g_median=%.2fs g2g_p90=%.2fs samples=%d%n",
          name, ((Number) s.get("time")).doubleValue() - start, s.get("stalls"), pct(lat, 0.5), pct(g2g, 0.5), pct(g2g, 0.9), g2g.size());
    } finally {
      driver.quit();
    }
  }

  static List<Double> numbers(Object o) {
    List<Double> v = new ArrayList<>();
    for (Object x : (List<?>) o) {
      v.add(((Number) x).doubleValue());
    }
    Collections.sort(v);
    return v;
  }

  static double pct(List<Double> v, double p) {
    return v.isEmpty() ? Double.NaN : v.get(Math.min(v.size() - 1, (int) (p * v.size())));
  }
}
