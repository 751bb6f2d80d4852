package dev.headwater.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * One real publish session, end to end: FFmpeg publishes over RTMP, Headwater transcodes and serves
 * LL-HLS, and the tests read it as a player would. The tests only read, so they run in any order;
 * faults (stalled or killed encoder, publisher leaving) are in {@link EncoderFaultIT}. Time bounds
 * here separate "answered at once" or "held for one part" from "held until the 6 s timeout", with
 * room for a loaded 2-core machine; latency figures are the benchmarks' job.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LiveStreamIT {
  private TestServer server;
  private Publisher publisher;
  private String session;

  @BeforeAll
  void start() throws Exception {
    server = TestServer.start(TestServer.smallLadder());
    publisher = Publisher.ffmpeg(server.headwater.ffmpeg(), server.rtmpUrl("it"), 640, 360, 0);
    await()
        .atMost(Duration.ofSeconds(40))
        .until(() -> server.get("/live/it/master.m3u8").statusCode() == 200);
    JsonArray streams = new JsonArray(server.get("/api/streams").body());
    session = streams.getJsonObject(0).getString("session");
  }

  @AfterAll
  void stop() throws Exception {
    if (publisher != null) {
      publisher.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private String media(String rendition) {
    return "/live/it/" + session + "/" + rendition + "/";
  }

  private Playlists.Media playlist(String rendition) throws Exception {
    HttpResponse<String> r = server.get(media(rendition) + "index.m3u8");
    assertEquals(200, r.statusCode(), r.body());
    return Playlists.parse(r.body());
  }

  @Test
  void servesMultivariantPlaylistWithEveryAttribute() throws Exception {
    HttpResponse<String> r = server.get("/live/it/master.m3u8");
    assertEquals(
        "application/vnd.apple.mpegurl", r.headers().firstValue("Content-Type").orElse(""));
    assertTrue(r.headers().firstValue("Cache-Control").orElse("").contains("max-age"));
    String text = r.body();
    assertTrue(text.contains("#EXT-X-INDEPENDENT-SEGMENTS"), text);
    assertTrue(text.contains("#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"aud\""), text);
    List<String> infs = Playlists.all(text, "(#EXT-X-STREAM-INF:[^\n]+)");
    assertEquals(2, infs.size(), text);
    assertTrue(
        infs.get(0)
            .matches(
                ".*BANDWIDTH=\\d+,AVERAGE-BANDWIDTH=\\d+,CODECS=\"avc1\\.[0-9A-F]{6},mp4a\\.40\\.2\",RESOLUTION=640x360,FRAME-RATE=30\\.000,AUDIO=\"aud\".*"),
        infs.get(0));
    assertTrue(infs.get(1).contains("RESOLUTION=426x240"), infs.get(1));
    assertTrue(text.contains(session + "/360p/index.m3u8"), text);
  }

  @Test
  void mediaPlaylistsCarryTheLowLatencyProfile() throws Exception {
    await().atMost(Duration.ofSeconds(20)).until(() -> playlist("360p").segmentUris().size() >= 2);
    for (String rendition : List.of("360p", "240p", "audio")) {
      HttpResponse<String> r = server.get(media(rendition) + "index.m3u8");
      String text = r.body();
      assertTrue(
          text.contains(
              "#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,CAN-SKIP-UNTIL=12.000,PART-HOLD-BACK=0.600"),
          text);
      assertTrue(text.contains("#EXT-X-PART-INF:PART-TARGET=0.200"), text);
      assertTrue(text.contains("#EXT-X-TARGETDURATION:2"), text);
      assertTrue(text.contains("#EXT-X-PROGRAM-DATE-TIME:"), text);
      assertTrue(text.contains("#EXT-X-MAP:URI=\"init-0.mp4\""), text);
      assertTrue(text.contains("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"p"), text);
      assertEquals(2, Playlists.all(text, "(#EXT-X-RENDITION-REPORT)").size(), text);
      assertEquals(
          "public, max-age=0, s-maxage=1", r.headers().firstValue("Cache-Control").orElse(""));
      Playlists.Media m = Playlists.parse(text);
      for (Playlists.Part p : m.parts()) {
        // RFC 8216bis 4.4.4.9: every part <= PART-TARGET; >= 85% unless independent or last of its
        // segment.
        assertTrue(p.duration() <= 0.2, p.toString());
      }
      for (int i = 0; i + 1 < m.parts().size(); i++) {
        Playlists.Part p = m.parts().get(i);
        boolean lastOfSegment = m.parts().get(i + 1).msn() != p.msn();
        if (!p.independent() && !lastOfSegment && i > 0) {
          assertTrue(p.duration() >= 0.85 * 0.2, p.toString());
        }
        if (!rendition.equals("audio")) {
          assertEquals(
              p.index() == 0,
              p.independent(),
              "video parts are independent exactly at segment starts: " + p);
        }
      }
    }
  }

  @Test
  void segmentsAndPartsDecodeWithFfprobe() throws Exception {
    Playlists.Media m = playlist("360p");
    byte[] init = server.getBytes(media("360p") + "init-0.mp4").body();
    HttpResponse<byte[]> seg =
        server.getBytes(media("360p") + m.segmentUris().get(m.segmentUris().size() - 1));
    assertEquals("video/iso.segment", seg.headers().firstValue("Content-Type").orElse(""));
    JsonObject video = server.probe(concat(init, seg.body()));
    assertEquals("h264", video.getString("codec_name"));
    assertEquals(640, video.getInteger("width"));
    assertEquals(360, video.getInteger("height"));
    assertEquals(
        60, Integer.parseInt(video.getString("nb_read_frames")), "a 2 s segment at 30 fps");
    assertTrue(
        video.getString("ffprobe_errors").isBlank(),
        "a segment decodes without errors: " + video.getString("ffprobe_errors"));
    Playlists.Part independent =
        m.parts().stream().filter(Playlists.Part::independent).findFirst().orElseThrow();
    JsonObject p =
        server.probe(concat(init, server.getBytes(media("360p") + independent.uri()).body()));
    assertEquals(
        6,
        Integer.parseInt(p.getString("nb_read_frames")),
        "a 200 ms independent part decodes to 6 frames");
    Playlists.Part last = m.parts().get(m.parts().size() - 1);
    JsonObject q = server.probe(concat(init, server.getBytes(media("360p") + last.uri()).body()));
    assertEquals(
        6, Integer.parseInt(q.getString("nb_read_packets")), "every 200 ms part holds 6 frames");

    Playlists.Media a = playlist("audio");
    byte[] ainit = server.getBytes(media("audio") + "init-0.mp4").body();
    JsonObject audio =
        server.probe(
            concat(
                ainit,
                server
                    .getBytes(media("audio") + a.segmentUris().get(a.segmentUris().size() - 1))
                    .body()));
    assertEquals("aac", audio.getString("codec_name"));
    assertEquals("48000", audio.getString("sample_rate"));
  }

  @Test
  void blockingReloadAnswersAsEachPartArrives() throws Exception {
    Playlists.Media m = playlist("360p");
    List<Double> waits = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      long msn = m.lastComplete() ? m.lastMsn() + 1 : m.lastMsn();
      int part = m.lastComplete() ? 0 : m.lastPart() + 1;
      long t0 = System.nanoTime();
      HttpResponse<String> r =
          server.get(media("360p") + "index.m3u8?_HLS_msn=" + msn + "&_HLS_part=" + part);
      waits.add((System.nanoTime() - t0) / 1e9);
      assertEquals(200, r.statusCode(), r.body());
      assertEquals("public, max-age=12", r.headers().firstValue("Cache-Control").orElse(""));
      Playlists.Media next = Playlists.parse(r.body());
      assertTrue(
          next.lastMsn() > msn || (next.lastMsn() == msn && next.lastPart() >= part),
          "playlist holds the requested part");
      m = next;
    }
    Collections.sort(waits);
    double median = waits.get(waits.size() / 2);
    // Each request waits for the next part (one every 200 ms): held, then answered long before the
    // 6 s
    // timeout of RFC 8216bis 6.2.5.2.
    assertTrue(median > 0.02 && median < 1.0, "median wait " + median + " s, all " + waits);
    assertTrue(waits.get(waits.size() - 1) < 3.0, "max wait " + waits);
  }

  @Test
  void preloadHintedPartIsHeldUntilItIsComplete() throws Exception {
    Playlists.Media m = playlist("360p");
    String hint = m.hint();
    assertNotNull(hint);
    long t0 = System.nanoTime();
    HttpResponse<byte[]> r = server.getBytes(media("360p") + hint);
    double waited = (System.nanoTime() - t0) / 1e9;
    assertEquals(200, r.statusCode());
    assertTrue(
        waited < 3.0,
        "the hinted part is sent once complete, not at the 6 s timeout: waited " + waited + " s");
    assertTrue(r.body().length > 100);
    assertEquals("video/iso.segment", r.headers().firstValue("Content-Type").orElse(""));
    assertTrue(
        playlist("360p").text().contains("URI=\"" + hint + "\""),
        "the hinted URI is the published part URI");
    String far = "p" + (Long.parseLong(hint.substring(1, hint.length() - 4)) + 5) + ".m4s";
    assertEquals(
        404,
        server.getBytes(media("360p") + far).statusCode(),
        "a part neither present nor hinted is 404");
  }

  /**
   * Asks for the last MSN + 3 of a playlist just read. A segment that closes between the two
   * requests makes that MSN legal (last + 2), so the server rightly holds and answers it: that case
   * is told apart by the playlist having moved on, and tried again.
   */
  private int tooFarStatus() throws Exception {
    int status = 0;
    for (int attempt = 0; attempt < 3; attempt++) {
      long last = playlist("360p").lastMsn();
      status = server.get(media("360p") + "index.m3u8?_HLS_msn=" + (last + 3)).statusCode();
      if (status == 400 || playlist("360p").lastMsn() == last) {
        return status;
      }
    }
    return status;
  }

  @Test
  void rejectsMalformedAndTooFarDirectives() throws Exception {
    assertEquals(
        400,
        server.get(media("360p") + "index.m3u8?_HLS_part=1").statusCode(),
        "_HLS_part without _HLS_msn");
    assertEquals(400, tooFarStatus(), "beyond last MSN + 2");
    assertEquals(400, server.get(media("360p") + "index.m3u8?_HLS_msn=abc").statusCode());
    long t0 = System.nanoTime();
    HttpResponse<String> old = server.get(media("360p") + "index.m3u8?_HLS_msn=0&_HLS_part=0");
    assertEquals(200, old.statusCode());
    assertTrue(
        (System.nanoTime() - t0) / 1e9 < 3.0,
        "an already-satisfied request is answered at once, not held");
    // RFC 8216bis 6.2.2: parts of older parents leave the playlist text but stay available, and a
    // blocking request naming one is answered at once. The fourth entry from the end never lists
    // parts.
    Playlists.Media now = playlist("360p");
    long unlisted = now.lastMsn() - 3;
    assertTrue(
        unlisted >= now.mediaSequence() && now.parts().stream().noneMatch(p -> p.msn() <= unlisted),
        now.text());
    t0 = System.nanoTime();
    HttpResponse<String> removed =
        server.get(media("360p") + "index.m3u8?_HLS_msn=" + unlisted + "&_HLS_part=1");
    assertEquals(200, removed.statusCode(), removed.body());
    assertTrue(
        (System.nanoTime() - t0) / 1e9 < 3.0,
        "a request for a part no longer listed is answered at once, not held");
    String firstListed = now.parts().get(0).uri();
    String before =
        "p" + (Long.parseLong(firstListed.substring(1, firstListed.length() - 4)) - 1) + ".m4s";
    assertEquals(
        200,
        server.getBytes(media("360p") + before).statusCode(),
        "a part no longer listed stays downloadable");
    assertEquals(404, server.get("/live/it/" + session + "/1080p/index.m3u8").statusCode());
    assertEquals(404, server.get("/live/nosuch/master.m3u8").statusCode());
  }

  @Test
  void playlistsAreGzippedAndH2cIsSpoken() throws Exception {
    HttpResponse<byte[]> r =
        server.http.send(
            HttpRequest.newBuilder(URI.create(server.base() + media("360p") + "index.m3u8"))
                .header("Accept-Encoding", "gzip")
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertEquals("gzip", r.headers().firstValue("Content-Encoding").orElse(""));
    String text =
        new String(
            new GZIPInputStream(new java.io.ByteArrayInputStream(r.body())).readAllBytes(),
            StandardCharsets.UTF_8);
    assertTrue(text.startsWith("#EXTM3U"));
    PlaylistConformance.check(r.uri().toString(), text);
    HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
    HttpResponse<String> h2r =
        h2.send(
            HttpRequest.newBuilder(URI.create(server.base() + "/live/it/master.m3u8")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, h2r.statusCode());
    TestServer.checkIfPlaylist(h2r);
    HttpResponse<String> again =
        h2.send(
            HttpRequest.newBuilder(URI.create(server.base() + "/live/it/master.m3u8")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(HttpClient.Version.HTTP_2, again.version(), "h2c after upgrade");
    TestServer.checkIfPlaylist(again);
    HttpResponse<String> cors =
        server.get(media("360p") + "index.m3u8", Map.of("Origin", "http://player.example"));
    assertEquals("*", cors.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
  }

  @Test
  void deltaUpdateSkipsSegmentsBeyondTheSkipBoundary() throws Exception {
    await().atMost(Duration.ofSeconds(30)).until(() -> playlist("360p").segmentUris().size() >= 9);
    HttpResponse<String> r = server.get(media("360p") + "index.m3u8?_HLS_skip=YES");
    String text = r.body();
    String skipped = Playlists.attr(text, "#EXT-X-SKIP:SKIPPED-SEGMENTS=(\\d+)");
    assertNotNull(skipped, text);
    assertTrue(Integer.parseInt(skipped) >= 1);
    assertTrue(text.contains("#EXT-X-VERSION:9"), text);
    Playlists.Media full = playlist("360p");
    Playlists.Media delta = Playlists.parse(text);
    assertEquals(full.mediaSequence(), delta.mediaSequence());
    assertTrue(delta.segmentUris().size() < full.segmentUris().size());
  }

  private static byte[] concat(byte[] a, byte[] b) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(a);
    out.writeBytes(b);
    return out.toByteArray();
  }
}
