package dev.headwater.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The player page's recordings panel and replay, in Chromium: FFmpeg publishes {@value #SECONDS} s
 * with recording on, the stream ends, and the page lists the recording (name, local start time,
 * mm:ss, size), replays it with hls.js when it is clicked or deep-linked, seeks as a viewer
 * dragging the bar would, plays to the end without a fatal error, and goes back to live.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplayPageIT {
  static final double SECONDS = 12.0;
  private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d)?) (kB|MB)");

  private TestServer server;
  private JsonObject recording;
  private ChromeDriver driver;
  private JavascriptExecutor js;

  @BeforeAll
  void record() throws Exception {
    server =
        TestServer.start(
            RecordingIT.config(
                Path.of("target", "it-replay-page-" + System.nanoTime()), new JsonObject()));
    publish("rec", SECONDS);
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> find("rec") != null && find("rec").getBoolean("ended"));
    recording = find("rec");
  }

  @BeforeEach
  void openBrowser() throws Exception {
    driver = Browser.start();
    js = driver;
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
    if (server != null) {
      server.close();
    }
  }

  @Test
  void listsTheRecordingAndReplaysAClickedOneWithSeekingToItsEnd() throws Exception {
    driver.get(server.base() + "/");
    WebElement entry = entry(recording);
    assertEquals("live", js.executeScript("return window.headwater.mode"));
    assertFalse(driver.findElement(By.id("back-to-live")).isDisplayed());

    // The listing: name, start in the browser's local time, duration mm:ss, size; no "recording…".
    String text = entry.getText();
    assertTrue(text.startsWith("rec"), text);
    assertTrue(text.contains(localStart(recording)), localStart(recording) + " in " + text);
    String duration = entry.findElement(By.className("rec-duration")).getText();
    long seconds = Math.round(recording.getDouble("durationSeconds"));
    assertEquals(String.format(Locale.ROOT, "%02d:%02d", seconds / 60, seconds % 60), duration);
    assertEquals("00:12", duration, "about " + SECONDS + " s were published");
    assertSize(recording.getLong("sizeBytes"), entry.findElement(By.className("rec-size")));
    assertFalse(text.contains("recording…"), text);

    entry.findElement(By.tagName("button")).click();
    awaitReplaying();
    Map<String, Object> r = state("return window.headwater.recording");
    assertEquals("rec", r.get("name"));
    assertEquals(recording.getString("session"), r.get("session"));
    assertEquals("hls", r.get("protocol"), "the DASH switch is off: HLS");
    assertEquals(recording.getJsonObject("playback").getString("hls"), r.get("url"));
    assertTrue(
        driver.getCurrentUrl().endsWith("?recording=rec/" + recording.getString("session")),
        driver.getCurrentUrl());
    assertTrue(driver.findElement(By.id("back-to-live")).isDisplayed());
    assertEquals("REPLAY", driver.findElement(By.id("mode-label")).getText());
    assertTrue(entry(recording).getAttribute("class").contains("active"));
    assertEquals(true, js.executeScript("return document.getElementById('video').controls"));
    // A VOD playlist: the element knows the whole duration, not a live window.
    double videoDuration = number("return document.getElementById('video').duration");
    assertEquals(recording.getDouble("durationSeconds"), videoDuration, 0.5);

    seekToTheEnd(videoDuration);

    driver.findElement(By.id("back-to-live")).click();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> "live".equals(js.executeScript("return window.headwater.mode")));
    assertNull(js.executeScript("return window.headwater.recording"));
    // The replay is gone (a live stream, if one is listed, may have started in its place).
    assertEquals(
        false,
        js.executeScript(
            "const h = window.headwater.hls; return Boolean(h && h.url && h.url.includes('/vod/'))"));
    assertFalse(driver.getCurrentUrl().contains("recording="), driver.getCurrentUrl());
    assertFalse(driver.findElement(By.id("back-to-live")).isDisplayed());
    assertEquals("LIVE", driver.findElement(By.id("mode-label")).getText());
  }

  @Test
  void deepLinkOpensTheReplay() throws Exception {
    String session = recording.getString("session");
    driver.get(server.base() + "/?recording=rec/" + session);
    awaitReplaying();
    Map<String, Object> r = state("return window.headwater.recording");
    assertEquals(session, r.get("session"));
    assertEquals(recording.getJsonObject("playback").getString("hls"), r.get("url"));
    assertTrue(entry(recording).getAttribute("class").contains("active"));
    assertEquals(List.of(), js.executeScript("return window.headwater.fatal"));
  }

  @Test
  void deepLinkToAnUnknownRecordingSaysSoAndStaysLive() throws Exception {
    driver.get(server.base() + "/?recording=rec/nosuchsession");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> driver.findElement(By.id("mode-note")).getText().contains("not listed"));
    assertEquals("live", js.executeScript("return window.headwater.mode"));
    assertNull(js.executeScript("return window.headwater.recording"));
  }

  /**
   * With the DASH switch on (dash.js bundled, ?protocol=dash), a replay uses the recording's MPD
   * when the origin serves it and falls back to HLS, saying so, when it does not.
   */
  @Test
  void deepLinkWithTheDashSwitchReplaysOverDashOrSaysWhyNot() throws Exception {
    Assumptions.assumeTrue(
        getClass().getResource("/webroot/vendor/dashjs/dash.all.min.js") != null,
        "dash.js not bundled: this build ran without npm");
    boolean dashServed =
        server.get(recording.getJsonObject("playback").getString("dash")).statusCode() == 200;
    driver.get(
        server.base() + "/?recording=rec/" + recording.getString("session") + "&protocol=dash");
    awaitReplaying();
    Map<String, Object> r = state("return window.headwater.recording");
    String note = driver.findElement(By.id("mode-note")).getText();
    if (dashServed) {
      assertEquals("dash", r.get("protocol"), note);
      assertEquals(recording.getJsonObject("playback").getString("dash"), r.get("url"));
    } else {
      assertEquals("hls", r.get("protocol"));
      assertTrue(note.contains("DASH replay is not served"), note);
    }
    assertEquals(List.of(), js.executeScript("return window.headwater.fatal"));
  }

  /**
   * A recording still being made is marked "recording…" and replays from its start; back to live
   * plays the live stream again; when it ends, Refresh shows it finished at once.
   */
  @Test
  void marksARecordingInProgressAndGoesBackToLive() throws Exception {
    // Publishes until stopped below, however long a loaded machine takes to get there.
    try (Publisher publisher = publisher("growing", 0)) {
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> find("growing") != null && find("growing").getInteger("segments") >= 2);
      JsonObject growing = find("growing");
      driver.get(server.base() + "/?stream=growing");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  Boolean.TRUE.equals(
                      js.executeScript(
                          "return window.headwater.mode === 'live' && window.headwater.playing")));
      WebElement entry = entry(growing);
      assertTrue(entry.getText().contains("recording…"), entry.getText());

      // Long enough that a live player would join well past its start (three target durations
      // from the edge, hls.js's default).
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> find("growing").getDouble("durationSeconds") >= 12);
      entry.findElement(By.tagName("button")).click();
      awaitReplaying();
      assertEquals(
          growing.getJsonObject("playback").getString("hls"),
          state("return window.headwater.recording").get("url"));
      // From the first segment, not joined at the growing playlist's edge as a live one would be.
      double from = number("return document.getElementById('video').played.start(0)");
      assertTrue(from < 1, "replay started at " + from + " s");

      driver.findElement(By.id("back-to-live")).click();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  Boolean.TRUE.equals(
                      js.executeScript(
                          "const h = window.headwater; return h.mode === 'live' && h.playing"
                              + " && h.stream === 'growing' && h.hls.url.includes('/live/growing/')"
                              + " && document.getElementById('video').currentTime > 1")));

      // The publisher drops its connection (FFmpeg under -re does not always heed SIGTERM at once).
      publisher.process.destroyForcibly();
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> find("growing").getBoolean("ended"));
      // Each click loads the list at once: two loads in a row within 5 s each cannot both be the
      // page's own refresh, 10 s apart.
      String loads = "return window.headwater.recordingsLoads";
      for (int i = 0; i < 2; i++) {
        double before = number(loads);
        driver.findElement(By.id("recordings-refresh")).click();
        await().atMost(Duration.ofSeconds(5)).until(() -> number(loads) > before);
      }
      assertFalse(entry(growing).getText().contains("recording…"), entry(growing).getText());
    }
  }

  /**
   * Seeks near the end as a viewer dragging the bar would, then checks the replay ended there: the
   * element played up to the seek and from it to the end, and not what lies between.
   */
  private void seekToTheEnd(double duration) throws Exception {
    double before = number("return document.getElementById('video').currentTime");
    double target = duration - 3;
    assertTrue(target - before > 4, "room to skip: at " + before + " of " + duration);
    js.executeScript("document.getElementById('video').currentTime = arguments[0];", target);
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () ->
                Boolean.TRUE.equals(
                    js.executeScript("return document.getElementById('video').ended")));
    Map<String, Object> s =
        state(
            "const v = document.getElementById('video'), h = window.headwater;"
                + " const played = []; for (let i = 0; i < v.played.length; i++)"
                + " played.push([v.played.start(i), v.played.end(i)]);"
                + " return {time: v.currentTime, played: played, fatal: h.fatal, errors: h.errors,"
                + " mode: h.mode};");
    assertEquals(List.of(), s.get("fatal"), s.toString());
    assertEquals("replay", s.get("mode"));
    assertEquals(duration, ((Number) s.get("time")).doubleValue(), 0.5, s.toString());
    double skipped = (before + target) / 2;
    boolean fromTarget = false;
    for (Object o : (List<?>) s.get("played")) {
      List<?> range = (List<?>) o;
      double start = ((Number) range.get(0)).doubleValue();
      double end = ((Number) range.get(1)).doubleValue();
      assertFalse(start <= skipped && skipped <= end, "played past the seek: " + s);
      fromTarget |= Math.abs(start - target) < 1 && Math.abs(end - duration) < 0.5;
    }
    assertTrue(fromTarget, "played from the seek to the end: " + s);
  }

  /** Waits until the page replays and its playhead has moved past the first second. */
  private void awaitReplaying() {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () ->
                Boolean.TRUE.equals(
                    js.executeScript(
                        "return window.headwater.mode === 'replay' && window.headwater.playing"
                            + " && document.getElementById('video').currentTime > 1")));
  }

  /** The recordings panel's entry for {@code r}, once the page lists it. */
  private WebElement entry(JsonObject r) {
    By by =
        By.cssSelector(
            "#recordings-list li[data-name='"
                + r.getString("name")
                + "'][data-session='"
                + r.getString("session")
                + "']");
    await()
        .atMost(Duration.ofSeconds(15))
        .ignoreExceptions()
        .until(() -> driver.findElement(by).isDisplayed());
    return driver.findElement(by);
  }

  /** The recording's start as the page must show it: in the browser's time zone, to the second. */
  private String localStart(JsonObject r) {
    Instant start = Instant.parse(r.getString("start"));
    // getTimezoneOffset: minutes to add to local time to get UTC, at that instant.
    long offset =
        ((Number)
                js.executeScript(
                    "return new Date(arguments[0]).getTimezoneOffset()", start.toEpochMilli()))
            .longValue();
    return LocalDateTime.ofInstant(start, ZoneOffset.ofTotalSeconds((int) (-offset * 60)))
        .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"));
  }

  /** "2.3 MB", "812 kB": within 10 % of the listed size. */
  private static void assertSize(long bytes, WebElement shown) {
    Matcher m = SIZE.matcher(shown.getText());
    assertTrue(m.matches(), shown.getText());
    double value = Double.parseDouble(m.group(1)) * (m.group(2).equals("MB") ? 1e6 : 1e3);
    assertEquals(bytes, value, bytes * 0.1, shown.getText() + " for " + bytes + " bytes");
  }

  private void publish(String name, double seconds) throws Exception {
    try (Publisher publisher = publisher(name, seconds)) {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> !publisher.process.isAlive());
      assertEquals(0, publisher.process.exitValue(), publisher.log());
    }
  }

  private Publisher publisher(String name, double seconds) throws Exception {
    return Publisher.ffmpeg(server.headwater.ffmpeg(), server.rtmpUrl(name), 640, 360, seconds);
  }

  /** The newest recording of {@code name} in /api/recordings, or null. */
  private JsonObject find(String name) throws Exception {
    JsonArray list = RecordingIT.recordings(server);
    for (int i = 0; i < list.size(); i++) {
      if (name.equals(list.getJsonObject(i).getString("name"))) {
        return list.getJsonObject(i);
      }
    }
    return null;
  }

  private double number(String script) {
    return ((Number) js.executeScript(script)).doubleValue();
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> state(String script) {
    return (Map<String, Object>) js.executeScript(script);
  }
}
