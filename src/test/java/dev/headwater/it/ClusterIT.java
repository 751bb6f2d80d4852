package dev.headwater.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Three origins as three processes on loopback, one Hazelcast cluster (TCP/IP members on 127.0.0.1,
 * multicast off). FFmpeg publishes to origin A; origins B and C answer for the stream by forwarding
 * to A, byte for byte with A's headers; hls.js plays through C; a publisher of the same name on B
 * is offered to A and refused with A's reason while A's publisher is live; when A is killed (no
 * goodbye) its stream is released within the member timeout and the name may be published on B,
 * which C then serves.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT extends ThreeOrigins {
  private static final String NAME = "cl";
  private String sessionOnA;
  private String sessionOnB;

  @Override
  OriginCluster startCluster() throws Exception {
    return OriginCluster.start(
        "cluster", 5801, json -> json.put("recording", new JsonObject().put("streams", "all")));
  }

  @Test
  @Order(1)
  void everyOriginAnswersForAStreamAnotherOwns() throws Exception {
    cluster.closeAtEnd(Publisher.ffmpeg(ffmpeg, a.rtmpUrl(NAME), 640, 360, 0));
    String master = "/live/" + NAME + "/master.m3u8";
    await()
        .atMost(Duration.ofSeconds(45))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> a.get(http, master).statusCode() == 200);
    HttpResponse<byte[]> fromA = a.get(http, master);
    for (OriginProcess o : List.of(b, c)) {
      HttpResponse<byte[]> res = o.get(http, master);
      assertEquals(200, res.statusCode(), o.label);
      assertEquals(text(fromA), text(res), o.label + ": the multivariant playlist");
      TestServer.checkIfPlaylist(asText(res));
      assertEquals(
          List.of("*"),
          res.headers().allValues("Access-Control-Allow-Origin"),
          o.label + ": one CORS header, the owner's");
    }

    // A closed segment: the same bytes and caching headers from every origin.
    String media = firstMediaPlaylist(text(fromA));
    String playlist = text(a.get(http, media));
    sessionOnA = media.split("/")[3];
    String segment = lastSegmentUri(playlist);
    String segmentPath = media.substring(0, media.lastIndexOf('/') + 1) + segment;
    HttpResponse<byte[]> segA = a.get(http, segmentPath);
    assertEquals(200, segA.statusCode());
    for (OriginProcess o : List.of(b, c)) {
      HttpResponse<byte[]> seg = o.get(http, segmentPath);
      assertEquals(200, seg.statusCode(), o.label);
      assertArrayEquals(segA.body(), seg.body(), o.label + ": " + segmentPath);
      assertEquals(
          segA.headers().firstValue("Cache-Control"),
          seg.headers().firstValue("Cache-Control"),
          o.label);
    }

    // A blocking request for the next segment's first part, parked at A through C.
    int next = mediaSequence(playlist) + segmentCount(playlist);
    long t0 = System.nanoTime();
    HttpResponse<byte[]> blocked = c.get(http, media + "?_HLS_msn=" + next + "&_HLS_part=0");
    double waited = (System.nanoTime() - t0) / 1e9;
    assertEquals(200, blocked.statusCode(), text(blocked));
    TestServer.checkIfPlaylist(asText(blocked));
    assertTrue(
        mediaSequence(text(blocked)) + segmentCount(text(blocked)) >= next,
        "the answer holds MSN " + next + "'s part: " + text(blocked));
    assertTrue(waited < 10, "answered in " + waited + " s");

    // Any origin lists the stream, with the owner's details.
    JsonArray streams = new JsonArray(text(c.get(http, "/api/streams")));
    assertEquals(1, streams.size(), streams.encode());
    assertEquals(NAME, streams.getJsonObject(0).getString("name"));
    assertEquals(sessionOnA, streams.getJsonObject(0).getString("session"));
  }

  @Test
  @Order(2)
  void hlsJsPlaysFromAnOriginThatDoesNotOwnTheStream() throws Exception {
    ChromeDriver driver = Browser.start();
    try (StockPlayerPage page = StockPlayerPage.start(StockPlayerPage.WEBJAR)) {
      Map<String, Object> s =
          StockPlayerPage.watch(driver, page.url(c.base() + "/live/" + NAME + "/master.m3u8"), 8);
      assertEquals(List.of(), s.get("fatal"), s.toString());
      assertTrue(((Number) s.get("played")).doubleValue() > 6, s.toString());
    } finally {
      driver.quit();
    }
  }

  @Test
  @Order(2)
  void hlsJsPlaysThroughAnEdgeOverTheOriginsThatDoNotOwnTheStream() throws Exception {
    try (EdgeServer edge =
        EdgeServer.start(EdgeServer.Engine.NGINX, List.of(b.httpPort, c.httpPort))) {
      ChromeDriver driver = Browser.start();
      try (StockPlayerPage page = StockPlayerPage.start(StockPlayerPage.WEBJAR)) {
        Map<String, Object> s =
            StockPlayerPage.watch(
                driver, page.url(edge.base() + "/live/" + NAME + "/master.m3u8"), 8);
        assertEquals(List.of(), s.get("fatal"), s.toString());
        assertTrue(((Number) s.get("played")).doubleValue() > 6, s.toString());
      } finally {
        driver.quit();
      }
    }
  }

  @Test
  @Order(3)
  void aSecondPublisherOnAnotherOriginIsRefused() throws Exception {
    try (Publisher second = Publisher.ffmpeg(ffmpeg, b.rtmpUrl(NAME), 640, 360, 0)) {
      assertTrue(second.waitExit(20), "FFmpeg was refused and gave up");
      assertNotEquals(0, second.process.exitValue());
    }
    assertTrue(b.log().contains("live on origin"), "B offered the publisher to A");
    assertTrue(b.log().contains("is already being published"), "B logs A's reason for refusing");
    String media = firstMediaPlaylist(text(c.get(http, "/live/" + NAME + "/master.m3u8")));
    assertEquals(sessionOnA, media.split("/")[3], "the stream is still A's session");
  }

  @Test
  @Order(4)
  void aDeadOriginsStreamsAreReleasedAndTheNameMayBePublishedElsewhere() throws Exception {
    a.kill();
    String master = "/live/" + NAME + "/master.m3u8";
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                new JsonArray(text(c.get(http, "/api/streams"))).isEmpty()
                    && c.get(http, master).statusCode() == 404);
    assertTrue(c.log().contains("releasing its streams"), "C logs the release");

    cluster.closeAtEnd(Publisher.ffmpeg(ffmpeg, b.rtmpUrl(NAME), 640, 360, 0));
    await()
        .atMost(Duration.ofSeconds(45))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> c.get(http, master).statusCode() == 200);
    String media = firstMediaPlaylist(text(c.get(http, master)));
    sessionOnB = media.split("/")[3];
    assertNotEquals(sessionOnA, sessionOnB, "a new session, on B");
    assertEquals(200, c.get(http, media).statusCode());
  }

  @Test
  @Order(5)
  void anyOriginListsAndReplaysTheRecordingsOfAnother() throws Exception {
    // B records its session; C lists it and serves its replay playlist from B.
    String replay = "/vod/" + NAME + "/" + sessionOnB + "/master.m3u8";
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              JsonArray list = new JsonArray(text(c.get(http, "/api/recordings")));
              return list.stream()
                      .anyMatch(o -> sessionOnB.equals(((JsonObject) o).getString("session")))
                  && c.get(http, replay).statusCode() == 200;
            });
    HttpResponse<byte[]> viaC = c.get(http, replay);
    HttpResponse<byte[]> atB = b.get(http, replay);
    assertEquals(text(atB), text(viaC));
    TestServer.checkIfPlaylist(asText(viaC));
  }

  @Test
  @Order(6)
  void anOriginSharingAnotherOnesRecordingStorageDoesNotStart() throws Exception {
    JsonObject json = cluster.config("d");
    // B's directory: D would take B's unfinished recording for a crash's leftovers.
    json.getJsonObject("recording")
        .put("directory", java.nio.file.Path.of("target/cluster-b-data/recordings").toString());
    IllegalStateException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalStateException.class, () -> cluster.start("d", json));
    assertTrue(e.getMessage().contains("is already used by origin"), e.getMessage());
  }

  private static String text(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  /** The same response with its body as text, for the playlist checks. */
  private static HttpResponse<String> asText(HttpResponse<byte[]> r) {
    return new HttpResponse<>() {
      @Override
      public int statusCode() {
        return r.statusCode();
      }

      @Override
      public java.net.http.HttpRequest request() {
        return r.request();
      }

      @Override
      public java.util.Optional<HttpResponse<String>> previousResponse() {
        return java.util.Optional.empty();
      }

      @Override
      public java.net.http.HttpHeaders headers() {
        return r.headers();
      }

      @Override
      public String body() {
        return text(r);
      }

      @Override
      public java.util.Optional<javax.net.ssl.SSLSession> sslSession() {
        return r.sslSession();
      }

      @Override
      public java.net.URI uri() {
        return r.uri();
      }

      @Override
      public HttpClient.Version version() {
        return r.version();
      }
    };
  }

  /** The first video variant's media playlist path, from the multivariant playlist. */
  private static String firstMediaPlaylist(String master) {
    for (String line : master.split("\n")) {
      if (!line.startsWith("#") && line.endsWith("index.m3u8")) {
        return line.startsWith("/") ? line : "/live/" + NAME + "/" + line;
      }
    }
    throw new AssertionError("no variant in " + master);
  }

  private static String lastSegmentUri(String playlist) {
    String last = null;
    for (String line : playlist.split("\n")) {
      if (!line.isEmpty() && !line.startsWith("#")) {
        last = line;
      }
    }
    if (last == null) {
      throw new AssertionError("no closed segment yet: " + playlist);
    }
    return last;
  }

  private static int mediaSequence(String playlist) {
    for (String line : playlist.split("\n")) {
      if (line.startsWith("#EXT-X-MEDIA-SEQUENCE:")) {
        return Integer.parseInt(line.substring(22).trim());
      }
    }
    throw new AssertionError("no media sequence: " + playlist);
  }

  private static int segmentCount(String playlist) {
    int n = 0;
    for (String line : playlist.split("\n")) {
      if (line.startsWith("#EXTINF:")) {
        n++;
      }
    }
    return n;
  }
}
