package dev.headwater.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Faults around a real publish session: a frozen encoder (503 after three target durations), a
 * killed encoder (restarted, with a discontinuity), and the publisher leaving for good (ENDLIST, no
 * FFmpeg left). Each test publishes its own stream, so they run in any order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EncoderFaultIT {
  private TestServer server;

  @BeforeAll
  void start() throws Exception {
    // No reconnect grace: a publisher that leaves ends its stream at once (ReconnectIT covers the
    // grace).
    server =
        TestServer.start(
            TestServer.smallLadder()
                .put("ingest", new JsonObject().put("reconnectGraceSeconds", 0.0)));
  }

  @AfterAll
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  /** A live stream of its own: its name, session and publisher. */
  private record Live(String name, String session, Publisher publisher) {
    String media(String rendition) {
      return "/live/" + name + "/" + session + "/" + rendition + "/";
    }
  }

  private Live publish(String name) throws Exception {
    await().atMost(Duration.ofSeconds(15)).until(() -> server.headwater.reaper().alive() == 0);
    Publisher p = Publisher.ffmpeg(server.headwater.ffmpeg(), server.rtmpUrl(name), 640, 360, 0);
    await()
        .atMost(Duration.ofSeconds(40))
        .until(() -> server.get("/live/" + name + "/master.m3u8").statusCode() == 200);
    String session = null;
    for (Object o : new JsonArray(server.get("/api/streams").body())) {
      if (((JsonObject) o).getString("name").equals(name)) {
        session = ((JsonObject) o).getString("session");
      }
    }
    return new Live(name, session, p);
  }

  private Playlists.Media playlist(Live live, String rendition) throws Exception {
    HttpResponse<String> r = server.get(live.media(rendition) + "index.m3u8");
    assertEquals(200, r.statusCode(), r.body());
    return Playlists.parse(r.body());
  }

  private Process encoder() {
    List<Process> p = server.headwater.reaper().processes();
    assertEquals(1, p.size(), "one FFmpeg per live stream");
    return p.get(0);
  }

  @Test
  void stalledEncoderGets503AfterThreeTargetDurations() throws Exception {
    Live live = publish("frozen");
    try (Publisher p = live.publisher()) {
      Process encoder = encoder();
      Playlists.Media m = playlist(live, "360p");
      new ProcessBuilder("kill", "-STOP", Long.toString(encoder.pid())).start().waitFor();
      try {
        long msn = m.lastMsn() + 1;
        long t0 = System.nanoTime();
        HttpResponse<String> r =
            server.get(live.media("360p") + "index.m3u8?_HLS_msn=" + msn + "&_HLS_part=2");
        double waited = (System.nanoTime() - t0) / 1e9;
        assertEquals(503, r.statusCode(), r.body());
        // RFC 8216bis 6.2.5.2: held for three target durations (3 x 2 s) before the 503.
        assertTrue(waited > 5.0 && waited < 10.0, "503 after 3 x 2 s, waited " + waited);
        assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(""));
      } finally {
        new ProcessBuilder("kill", "-CONT", Long.toString(encoder.pid())).start().waitFor();
      }
    }
  }

  @Test
  void killedEncoderIsRestartedWithADiscontinuity() throws Exception {
    Live live = publish("crash");
    try (Publisher p = live.publisher()) {
      await().atMost(Duration.ofSeconds(10)).until(() -> playlist(live, "360p").hint() != null);
      Playlists.Media before = playlist(live, "360p");
      encoder().destroyForcibly();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                String t = server.get(live.media("360p") + "index.m3u8").body();
                return t.contains("#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI=\"init-1.mp4\"")
                    && Playlists.parse(t).parts().size() > 3;
              });
      Playlists.Media after = playlist(live, "360p");
      assertTrue(after.lastMsn() > before.lastMsn(), "media sequence numbers never go back");
      assertTrue(after.mediaSequence() >= before.mediaSequence());
      assertEquals(200, server.getBytes(live.media("360p") + "init-1.mp4").statusCode());
      assertTrue(
          after.text().contains("#EXT-X-DISCONTINUITY-SEQUENCE:0"),
          "the discontinuity is still in the window");
      String metrics = server.get(server.metricsBase() + "/metrics").body();
      assertEquals(404, server.get("/metrics").statusCode(), "/metrics is not on the public port");
      assertTrue(
          metrics.contains("headwater_encoder_restarts_total{stream=\"crash\"} 1.0"),
          metrics.lines().filter(l -> l.contains("restarts")).toList().toString());
      assertTrue(
          metrics.contains("headwater_http_responses_total{status=\"2xx\"}"),
          "responses are counted by status class");
    }
  }

  @Test
  void publisherLeavingEndsTheStreamCleanly() throws Exception {
    Live live = publish("leave");
    live.publisher().close();
    await().atMost(Duration.ofSeconds(20)).until(() -> playlist(live, "360p").ended());
    for (String rendition : List.of("360p", "240p", "audio")) {
      String text = playlist(live, rendition).text();
      assertTrue(text.endsWith("#EXT-X-ENDLIST\n"), text);
      assertFalse(text.contains("PRELOAD-HINT"), text);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> server.headwater.reaper().alive() == 0);
    assertTrue(
        ProcessHandle.current()
            .descendants()
            .noneMatch(p -> p.info().command().orElse("").contains("ffmpeg")),
        "no FFmpeg child outlives its stream");
    HttpResponse<String> blocking =
        server.get(live.media("360p") + "index.m3u8?_HLS_msn=99999&_HLS_part=0");
    assertEquals(
        200, blocking.statusCode(), "directives are ignored once the playlist has ENDLIST");
    assertTrue(
        new JsonArray(server.get("/api/streams").body())
            .stream().noneMatch(o -> ((JsonObject) o).getString("name").equals("leave")),
        "an ended stream is not listed as live");
  }
}
