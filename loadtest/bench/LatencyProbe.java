import java.io.File;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Opens Headwater's player page in headless Chromium (hls.js, low-latency mode), lets it settle, then
 * samples for SECONDS: hls.js's latency and the glass-to-glass latency read from the burned-in clock.
 * Prints one line: NAME played stalls latency_median g2g_median g2g_p90 samples not_playing (seconds
 * since the page's navigation that the video did not advance: the start-up, then any stall, taken as
 * wall time minus the media time played since the first played position).
 *
 * <p>Paired (NAME2 PAGE_URL2 given): two Chromium instances, both started first, then both pages
 * loaded at the same moment (two threads released by one barrier), so both players fetch their first
 * playlists within milliseconds of each other and join at the same live position; both sample the
 * same window. Prints one line per player, then {@code pair NAME NAME2 g2g_diff=...} (NAME2 - NAME, of
 * the two g2g medians) and the same for hls.js's latency. Two browsers, each with the unchanged stock
 * page, as two viewers would be; one browser with both pages as iframes of one parent (one renderer
 * thread for both) was tried and its pairs diverged as much under CPU load, so the simpler stays.
 *
 * <p>Usage: java -cp SELENIUM_CLASSPATH [-Dsettle.seconds=5] LatencyProbe.java NAME PAGE_URL SECONDS
 * [NAME2 PAGE_URL2]; sampling starts settle.seconds after both players play.
 */
public class LatencyProbe {
  public static void main(String[] args) throws Exception {
    int seconds = Integer.parseInt(args[2]);
    List<Player> players = new ArrayList<>();
    players.add(new Player(args[0], args[1]));
    if (args.length >= 5) {
      players.add(new Player(args[3], args[4]));
    }
    ExecutorService pool = Executors.newFixedThreadPool(players.size());
    try {
      for (Player p : players) {
        p.open();
      }
      CyclicBarrier together = new CyclicBarrier(players.size());
      List<Future<?>> loads = new ArrayList<>();
      for (Player p : players) {
        loads.add(pool.submit(() -> {
          together.await();
          p.driver.get(p.page);
          return null;
        }));
      }
      for (Future<?> f : loads) {
        f.get();
      }
      long deadline = System.nanoTime() + 60_000_000_000L;
      for (Player p : players) {
        p.awaitPlaying(deadline);
      }
      // A player that converges to a target latency (dash.js's catch-up) needs longer than 5 s.
      Thread.sleep(Long.getLong("settle.seconds", 5) * 1000L);
      for (Player p : players) {
        p.reset();
      }
      Thread.sleep(seconds * 1000L);
      List<double[]> medians = new ArrayList<>();
      for (Player p : players) {
        medians.add(p.report());
      }
      if (players.size() == 2) {
        System.out.printf(Locale.ROOT, "pair %s %s g2g_diff=%+.3fs hlsjs_latency_diff=%+.3fs%n", players.get(0).name,
            players.get(1).name, medians.get(1)[1] - medians.get(0)[1], medians.get(1)[0] - medians.get(0)[0]);
      }
    } finally {
      pool.shutdownNow();
      for (Player p : players) {
        p.close();
      }
    }
  }

  /** One headless Chromium showing one page. */
  static final class Player {
    final String name;
    final String page;
    ChromeDriver driver;
    JavascriptExecutor js;
    double start;

    Player(String name, String page) {
      this.name = name;
      this.page = page;
    }

    /** In a browser of its own. */
    void open() throws Exception {
      driver = browser();
      js = driver;
    }

    void awaitPlaying(long deadline) throws InterruptedException {
      while (!Boolean.TRUE.equals(js.executeScript(
          "return !!(window.headwater && window.headwater.playing && document.getElementById('video').currentTime > 1)"))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(name + ": playback did not start; errors " + js.executeScript("return window.headwater.errors"));
        }
        Thread.sleep(500);
      }
    }

    void reset() {
      js.executeScript("const h = window.headwater; h.stalls = 0; h.latencySamples = []; h.g2gSamples = [];");
      start = ((Number) js.executeScript("return document.getElementById('video').currentTime")).doubleValue();
    }

    /** Prints this player's line; returns {hls.js latency median, g2g median}. */
    double[] report() {
      @SuppressWarnings("unchecked")
      Map<String, Object> s = (Map<String, Object>) js.executeScript(
          "const h = window.headwater, v = document.getElementById('video'); return {time: v.currentTime, stalls: h.stalls,"
              + " latency: h.latencySamples, g2g: h.g2gSamples,"
              + " late: (Date.now() - performance.timeOrigin) / 1000 - (v.currentTime - (v.played.length ? v.played.start(0) : v.currentTime))};");
      List<Double> lat = numbers(s.get("latency"));
      List<Double> g2g = numbers(s.get("g2g"));
      System.out.printf(Locale.ROOT, "%-28s played=%.1fs stalls=%s hlsjs_latency_median=%.3fs g2g_median=%.3fs g2g_p90=%.3fs samples=%d not_playing=%.2fs%n",
          name, ((Number) s.get("time")).doubleValue() - start, s.get("stalls"), pct(lat, 0.5), pct(g2g, 0.5), pct(g2g, 0.9), g2g.size(),
          ((Number) s.get("late")).doubleValue());
      return new double[] {pct(lat, 0.5), pct(g2g, 0.5)};
    }

    void close() {
      if (driver != null) {
        driver.quit();
      }
    }
  }

  static ChromeDriver browser() throws Exception {
    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--autoplay-policy=no-user-gesture-required", "--user-data-dir=" + Files.createTempDirectory("probe"));
    return new ChromeDriver(
        new ChromeDriverService.Builder().usingDriverExecutable(new File("/usr/bin/chromedriver")).build(), options);
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
