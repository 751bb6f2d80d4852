package dev.headwater.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Three origins as three processes on loopback, one Hazelcast cluster (TCP/IP members on 127.0.0.1,
 * multicast off). FFmpeg publishes to origin A; origins B and C answer for the stream by forwarding
 * to A, byte for byte with A's headers; hls.js plays through C; a publisher of the same name on B
 * is offered to A and refused with A's reason while A's publisher is live; when A is killed (no
 * goodbye) its stream is released within the member timeout and the name may be published on B,
 * which C then serves. Through a Varnish edge (the shipped VCL's director recipe) and an nginx edge
 * over B and C, hls.js plays; when C is killed, both edges go on serving from B.
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

  @ParameterizedTest
  @EnumSource(EdgeServer.Engine.class)
  @Order(2)
  void hlsJsPlaysThroughAnEdgeOverTheOriginsThatDoNotOwnTheStream(EdgeServer.Engine engine)
      throws Exception {
    try (EdgeServer edge = EdgeServer.start(engine, List.of(b.httpPort, c.httpPort))) {
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

  /**
   * Two WARN lines every origin logged at start read as faults and were not: Vert.x's event-bus
   * gauges registered twice (logback.xml drops that one warning, SharedGaugeWarningFilter), and
   * Hazelcast's CP subsystem being off (Headwater uses none of it). Checked here because each
   * origin is a fresh process, whose first double registration is a WARN.
   */
  @Test
  @Order(7)
  void noOriginLogsHarmlessStartupWarnings() throws Exception {
    for (OriginProcess o : List.of(a, b, c)) {
      String log = o.log();
      assertTrue(log.contains("Joining cluster"), "the origin's log is read");
      assertFalse(log.contains("already registered"), log);
      assertFalse(log.contains("CP Subsystem is not enabled"), log);
    }
  }

  /**
   * An edge over B and C goes on serving B's stream when C dies: nginx retries a refused connection
   * on the next server at once; Varnish's probe of /health takes C out of its director within two
   * probes (4 s), until then a miss sent to C is a 503. Each request is a different URL (a query
   * Headwater ignores), so that each is a miss the edge sends to an origin. Runs last: it kills C.
   */
  @Test
  @Order(8)
  void anEdgeOverSeveralOriginsGoesOnWhenOneDies() throws Exception {
    try (EdgeServer varnish =
            EdgeServer.start(EdgeServer.Engine.VARNISH, List.of(b.httpPort, c.httpPort));
        EdgeServer nginx =
            EdgeServer.start(EdgeServer.Engine.NGINX, List.of(b.httpPort, c.httpPort))) {
      String master = "/live/" + NAME + "/master.m3u8";
      int[] n = {0};
      for (EdgeServer edge : List.of(varnish, nginx)) {
        // Varnish's first probes mark both origins healthy.
        await()
            .atMost(Duration.ofSeconds(10))
            .pollInterval(Duration.ofMillis(200))
            .until(() -> allAnswer(edge, master + "?n=", n, 10));
      }
      c.kill();
      long killed = System.nanoTime();
      assertTrue(allAnswer(nginx, master + "?n=", n, 20), "nginx skips the dead origin at once");
      await()
          .atMost(Duration.ofSeconds(15))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> allAnswer(varnish, master + "?n=", n, 20));
      System.out.println(
          "Varnish served every miss again "
              + (System.nanoTime() - killed) / 1_000_000
              + " ms after origin C was killed");
    }
  }

  /** {@code count} requests for different URLs through {@code edge}, every one answered 200. */
  private boolean allAnswer(EdgeServer edge, String prefix, int[] n, int count) throws Exception {
    for (int i = 0; i < count; i++) {
      HttpResponse<byte[]> r =
          http.send(
              java.net.http.HttpRequest.newBuilder(
                      java.net.URI.create(edge.base() + prefix + n[0]++))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      if (r.statusCode() != 200) {
        return false;
      }
    }
    return true;
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
