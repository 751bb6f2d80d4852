package dev.headwater.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headwater.media.dash.Mpd;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * Recording and replay end to end on local disk: FFmpeg publishes 30 s, the stream ends, the origin
 * restarts on the same storage, and the recording is replayed: listed by /api/recordings, every
 * segment of every rendition served, ffprobe's duration within 1 % of what was published, and
 * hls.js in Chromium plays it to its end after a seek. Its static MPD (none while it is recorded)
 * passes mpd-parser, lists every segment, and dash.js plays it to its end after a seek too.
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

  /**
   * A publisher that leaves and comes back within the grace period continues the recording after a
   * discontinuity: the replay's MPD has a Period per publisher, and dash.js plays from before the
   * boundary across it to the end.
   */
  @Test
  void replaysAReconnectAsTwoPeriodsWithDashJs() throws Exception {
    Path data = Path.of("target", "it-recording-" + System.nanoTime());
    JsonObject config =
        config(data, new JsonObject())
            .put("ingest", new JsonObject().put("reconnectGraceSeconds", 8.0));
    double each = 12.0;
    try (TestServer server = TestServer.start(config)) {
      for (int i = 0; i < 2; i++) {
        Publisher publisher =
            Publisher.ffmpeg(server.headwater.ffmpeg(), server.rtmpUrl("rec"), 640, 360, each);
        try (publisher) {
          await()
              .atMost(Duration.ofSeconds(60))
              .pollInterval(Duration.ofMillis(250))
              .until(() -> !publisher.process.isAlive());
        }
      }
      JsonObject r = server.awaitTheEndedRecording();
      String base = server.base() + "/vod/rec/" + r.getString("session") + "/";
      String playlist = server.get(base + "360p/index.m3u8").body();
      assertTrue(playlist.contains("#EXT-X-DISCONTINUITY"), playlist);
      String mpd = base + "manifest.mpd";
      double duration = staticMpd(server, mpd, r.getJsonObject("segmentsByRendition"));
      assertEquals(2 * each, duration, 2 * each * 0.02, "both publishers' media");
      List<String> starts = new ArrayList<>();
      Matcher m =
          Pattern.compile("<Period id=\"[^\"]+\" start=\"PT([0-9.]+)S\"")
              .matcher(server.get(mpd).body());
      while (m.find()) {
        starts.add(m.group(1));
      }
      assertEquals(2, starts.size(), "a Period per publisher: " + starts);
      double boundary = Double.parseDouble(starts.get(1));
      dashJsPlaysToTheEnd(mpd, boundary - 4, duration);
    }
  }

  /** Publishes, ends, restarts, checks the replay. Shared by the storage backends' tests. */
  static void replayAfterRestart(JsonObject config) throws Exception {
    try (TestServer first = TestServer.start(config)) {
      Publisher publisher =
          Publisher.ffmpeg(
              first.headwater.ffmpeg(), first.rtmpUrl("rec"), 640, 360, PUBLISHED_SECONDS);
      try (publisher) {
        stillRecordingHasNoMpd(first);
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

      String mpd = second.base() + r.getJsonObject("playback").getString("dash");
      double mpdDuration = staticMpd(second, mpd, r.getJsonObject("segmentsByRendition"));
      assertEquals(probed, mpdDuration, PUBLISHED_SECONDS * 0.01, "MPD against ffprobe");
      dashJsPlaysToTheEnd(mpd, mpdDuration - 10, mpdDuration);
    }
  }

  /** While the stream is recorded, the advertised MPD is a 404 that says why. */
  private static void stillRecordingHasNoMpd(TestServer server) throws Exception {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> recordings(server).size() == 1);
    JsonObject r = recordings(server).getJsonObject(0);
    assertFalse(r.getBoolean("ended"), r.encode());
    HttpResponse<String> res = server.get(r.getJsonObject("playback").getString("dash"));
    assertEquals(404, res.statusCode());
    assertEquals("still recording: use the HLS EVENT playlist or wait for the end\n", res.body());
  }

  /**
   * The replay's MPD: static, served like the VOD playlists, read by mpd-parser, and listing each
   * recorded segment once in every Period's video and audio timeline. Returns its
   * mediaPresentationDuration in seconds.
   */
  private static double staticMpd(TestServer server, String url, JsonObject segments)
      throws Exception {
    HttpResponse<String> res = server.get(url);
    assertEquals(200, res.statusCode(), res.body());
    assertEquals("application/dash+xml", res.headers().firstValue("Content-Type").orElse(""));
    assertEquals("public, max-age=3600", res.headers().firstValue("Cache-Control").orElse(""));
    MpdConformance.check("replay", res.body());
    var factory = javax.xml.parsers.DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    Element root =
        factory
            .newDocumentBuilder()
            .parse(new InputSource(new StringReader(res.body())))
            .getDocumentElement();
    assertEquals("static", root.getAttribute("type"), res.body());
    for (String type : List.of("video", "audio")) {
      long listed = 0;
      NodeList sets = root.getElementsByTagNameNS(Mpd.NAMESPACE, "AdaptationSet");
      for (int i = 0; i < sets.getLength(); i++) {
        Element set = (Element) sets.item(i);
        if (!type.equals(set.getAttribute("contentType"))) {
          continue;
        }
        if (type.equals("audio")) {
          // The channel count of FFmpeg's recorded init section (stereo: audio.channels 2).
          NodeList channels =
              set.getElementsByTagNameNS(Mpd.NAMESPACE, "AudioChannelConfiguration");
          assertEquals(1, channels.getLength(), res.body());
          assertEquals("2", ((Element) channels.item(0)).getAttribute("value"));
        }
        NodeList s = set.getElementsByTagNameNS(Mpd.NAMESPACE, "S");
        for (int j = 0; j < s.getLength(); j++) {
          String repeat = ((Element) s.item(j)).getAttribute("r");
          listed += 1 + (repeat.isEmpty() ? 0 : Long.parseLong(repeat));
        }
      }
      int expected = segments.getInteger(type.equals("audio") ? "audio" : "360p");
      assertEquals(expected, listed, type + " segments in the MPD\n" + res.body());
    }
    return Duration.parse(root.getAttribute("mediaPresentationDuration")).toMillis() / 1000.0;
  }

  /**
   * dash.js (the current release, src/test/js) plays the replay: a seek to {@code seekTo}, then to
   * its end, with no error and no failed segment request.
   */
  private static void dashJsPlaysToTheEnd(String mpd, double seekTo, double duration)
      throws Exception {
    ChromeDriver driver = Browser.start();
    try (DashPlayerPage page = DashPlayerPage.start(DashPlayerPage.Player.DASHJS)) {
      driver.get(page.url(mpd));
      JavascriptExecutor js = driver;
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  Boolean.TRUE.equals(
                      js.executeScript(
                          "return window.headwater.playing && document.getElementById('video').currentTime > 1")));
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
                  "const v = document.getElementById('video'); const h = window.headwater;"
                      + " return {time: v.currentTime, version: h.version, errors: h.errors,"
                      + " failed: h.segments.filter(s => s.status >= 400).map(s => s.url)};");
      System.out.println("dash.js replay of " + mpd + ": " + state);
      assertEquals(List.of(), state.get("errors"), state.toString());
      assertEquals(List.of(), state.get("failed"), state.toString());
      assertEquals(duration, ((Number) state.get("time")).doubleValue(), 0.5, state.toString());
    } finally {
      driver.quit();
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
    for (Object rendition : r.getJsonArray("renditions")) {
      // The last group may lack a rendition that ended a fraction of a segment earlier.
      int segments = r.getJsonObject("segmentsByRendition").getInteger((String) rendition);
      assertTrue(segments >= r.getInteger("segments") - 1, r.encode());
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
