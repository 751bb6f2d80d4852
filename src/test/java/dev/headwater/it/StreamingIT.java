package dev.headwater.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Media still being produced, from a real FFmpeg publish: a request for the next segment is held
 * until it starts and then receives each CMAF chunk as FFmpeg writes it, over HTTP/1.1 (chunked)
 * and HTTP/2; what arrives is byte for byte the complete segment served afterwards and decodes with
 * ffprobe. The preload-hinted part streams the same way.
 */
class StreamingIT {
  private static TestServer server;
  private static Publisher publisher;
  private static String base;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(TestServer.smallLadder());
    publisher = Publisher.ffmpeg(server.headwater.ffmpeg(), server.rtmpUrl("flow"), 640, 360, 0);
    await()
        .atMost(Duration.ofSeconds(40))
        .until(() -> server.get("/live/flow/master.m3u8").statusCode() == 200);
    String session =
        new JsonArray(server.get("/api/streams").body()).getJsonObject(0).getString("session");
    base = "/live/flow/" + session + "/360p/";
    await().atMost(Duration.ofSeconds(30)).until(() -> playlist().segmentUris().size() >= 1);
  }

  @AfterAll
  static void stop() throws Exception {
    if (publisher != null) {
      publisher.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private static Playlists.Media playlist() throws Exception {
    return Playlists.parse(server.get(base + "index.m3u8").body());
  }

  /** The segment after the one in production: it has not started when it is asked for. */
  private static long nextSegment() throws Exception {
    Playlists.Media m = playlist();
    return m.lastComplete() ? m.lastMsn() + 2 : m.lastMsn() + 1;
  }

  /** One read of a streamed body: when it arrived and how many bytes. */
  private record Arrival(long nanos, int bytes) {}

  @Test
  void theNextSegmentArrivesChunkByChunkOverHttp1() throws Exception {
    long msn = nextSegment();
    HttpResponse<InputStream> r =
        server.http.send(
            HttpRequest.newBuilder(URI.create(server.base() + base + "s" + msn + ".m4s"))
                .timeout(Duration.ofSeconds(20))
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, r.statusCode());
    assertEquals("chunked", r.headers().firstValue("transfer-encoding").orElse(""));
    assertTrue(r.headers().firstValue("content-length").isEmpty());
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    List<Arrival> arrivals = new ArrayList<>();
    try (InputStream in = r.body()) {
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) >= 0; ) {
        body.write(buf, 0, n);
        arrivals.add(new Arrival(System.nanoTime(), n));
      }
    }
    assertProgressive(arrivals);
    assertIsTheSegment(msn, body.toByteArray());
  }

  @Test
  void theNextSegmentArrivesChunkByChunkOverHttp2() throws Exception {
    long msn = nextSegment();
    Vertx vertx = Vertx.vertx();
    try {
      HttpClientAgent client =
          vertx.createHttpClient(
              new HttpClientOptions()
                  .setProtocolVersion(HttpVersion.HTTP_2)
                  .setHttp2ClearTextUpgrade(false)
                  .setDefaultHost("127.0.0.1")
                  .setDefaultPort(server.headwater.httpPort()));
      List<Arrival> arrivals = new ArrayList<>();
      Buffer body = Buffer.buffer();
      int status =
          client
              .request(HttpMethod.GET, base + "s" + msn + ".m4s")
              .compose(req -> req.send())
              .compose(
                  res -> {
                    res.handler(
                        b -> {
                          synchronized (arrivals) {
                            arrivals.add(new Arrival(System.nanoTime(), b.length()));
                            body.appendBuffer(b);
                          }
                        });
                    return res.end().map(v -> res.statusCode());
                  })
              .await(20, TimeUnit.SECONDS);
      assertEquals(200, status);
      synchronized (arrivals) {
        assertProgressive(arrivals);
        assertIsTheSegment(msn, body.getBytes());
      }
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void theHintedPartStreamsAndIsThePartServedAfterwards() throws Exception {
    Playlists.Media m = playlist();
    String hint = m.hint();
    HttpResponse<InputStream> r =
        server.http.send(
            HttpRequest.newBuilder(URI.create(server.base() + base + hint))
                .timeout(Duration.ofSeconds(20))
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, r.statusCode());
    byte[] streamed;
    try (InputStream in = r.body()) {
      streamed = in.readAllBytes();
    }
    byte[] whole = server.getBytes(base + hint).body();
    assertTrue(whole.length > 0);
    assertArrayEquals(whole, streamed, "the streamed part is the part");
  }

  /**
   * A 2 s segment at 30 fps written one frame at a time arrives in many reads spread over most of
   * its duration, not at once at its end.
   */
  private static void assertProgressive(List<Arrival> arrivals) {
    assertFalse(arrivals.isEmpty());
    double spanSeconds =
        (arrivals.get(arrivals.size() - 1).nanos() - arrivals.get(0).nanos()) / 1e9;
    assertTrue(
        arrivals.size() >= 20, "chunks arrive as they are written: " + arrivals.size() + " reads");
    assertTrue(spanSeconds >= 1.2, "spread over the segment's production: " + spanSeconds + " s");
  }

  /** Byte for byte the complete segment, and it decodes: 2 s of 30 fps video. */
  private static void assertIsTheSegment(long msn, byte[] streamed) throws Exception {
    HttpResponse<byte[]> whole = server.getBytes(base + "s" + msn + ".m4s");
    assertEquals(200, whole.statusCode());
    assertEquals(
        Integer.toString(whole.body().length),
        whole.headers().firstValue("content-length").orElse(""));
    assertArrayEquals(whole.body(), streamed, "the streamed body is the segment");
    String initUri =
        Playlists.attr(server.get(base + "index.m3u8").body(), "#EXT-X-MAP:URI=\"([^\"]+)\"");
    byte[] init = server.getBytes(base + initUri).body();
    ByteArrayOutputStream mp4 = new ByteArrayOutputStream();
    mp4.writeBytes(init);
    mp4.writeBytes(streamed);
    JsonObject video = server.probe(mp4.toByteArray());
    assertEquals("h264", video.getString("codec_name"));
    assertEquals("60", video.getString("nb_read_frames"), video.encode());
    assertTrue(video.getString("ffprobe_errors").isBlank(), video.getString("ffprobe_errors"));
  }
}
