package dev.headwater.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.headwater.config.ConfigLoader;
import dev.headwater.config.HeadwaterConfig;
import dev.headwater.media.Bytes;
import dev.headwater.media.TestBytes;
import dev.headwater.media.isobmff.InitSegment;
import dev.headwater.media.isobmff.TrackInfo;
import dev.headwater.metrics.Metrics;
import dev.headwater.timeline.InitSection;
import dev.headwater.timeline.LiveStream;
import dev.headwater.timeline.RenditionKind;
import dev.headwater.timeline.RenditionSpec;
import dev.headwater.timeline.RenditionTimeline;
import dev.headwater.timeline.StreamRegistry;
import dev.headwater.timeline.StreamSnapshot;
import dev.headwater.timeline.TimelinePart;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.json.JsonObject;
import java.nio.ReadOnlyBufferException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Media is served from Buffers shared by every response, wrapped (not copied) over the box arrays:
 * the same part sent to many requests at once, over HTTP/1.1 and HTTP/2, arrives whole every time
 * and the shared buffer is neither consumed, released nor changed.
 */
class MediaHandlerTest {
  private static final String SESSION = "sess1";
  private static final String BASE = "/live/demo/" + SESSION + "/720p/";
  private static final RenditionSpec SPEC =
      new RenditionSpec("720p", RenditionKind.VIDEO, 720, 3_000_000, 2_800_000, 30);
  private static final TrackInfo TRACK =
      new TrackInfo(1, "vide", 90_000, "avc1.64001f", 1280, 720, 0, 0, 0, 0, 0);
  private static final long PART_TICKS = 18_000;

  private Vertx vertx;
  private HlsHttpVerticle http;
  private TimelinePart p0;
  private TimelinePart p1;
  private byte[] init;
  private byte[] part0;
  private byte[] part1;

  /** A part as the cutter makes it: several fragments, each several box arrays, never one array. */
  private static Bytes fragmentedPart(int seed) {
    List<Bytes> boxes = new ArrayList<>();
    for (int f = 0; f < 3; f++) {
      boxes.add(Bytes.wrap(TestBytes.pattern(100 + f, seed + f)));
      // A slice of a larger array, as a box that does not start at 0 would be.
      boxes.add(Bytes.wrap(TestBytes.pattern(70_000, seed + 10 * f), 3, 69_990));
    }
    return Bytes.concat(boxes);
  }

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    Metrics metrics = new Metrics();
    StreamRegistry registry = new StreamRegistry();
    LiveStream stream = new LiveStream("demo", SESSION, Instant.EPOCH, metrics.forStream("demo"));
    RenditionTimeline t = new RenditionTimeline(SPEC, 6, 2);
    Bytes initBytes =
        Bytes.concat(Bytes.wrap(TestBytes.pattern(24, 1)), Bytes.wrap(TestBytes.pattern(700, 2)));
    t.startRun(InitSection.of(0, new InitSegment(initBytes, TRACK)), 0);
    Bytes b0 = fragmentedPart(3);
    Bytes b1 = fragmentedPart(4);
    p0 = t.addPart(b0, 0, PART_TICKS, true, true, 0);
    p1 = t.addPart(b1, PART_TICKS, PART_TICKS, false, false, 0);
    t.closeSegment();
    t.addPart(fragmentedPart(5), 2 * PART_TICKS, PART_TICKS, true, true, 0);
    stream.plan(List.of(SPEC));
    stream.publish(
        new StreamSnapshot("demo", SESSION, 1, Instant.EPOCH, List.of(t.snapshot()), false));
    registry.claim(stream);
    init = initBytes.toArray();
    part0 = b0.toArray();
    part1 = b1.toArray();

    HeadwaterConfig config =
        ConfigLoader.fromJson(
            new JsonObject()
                .put(
                    "http",
                    new JsonObject().put("host", "127.0.0.1").put("port", 0).put("instances", 1)),
            Map.of());
    http = new HlsHttpVerticle(config, registry, metrics);
    vertx.deployVerticle(http).await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private record Response(
      int status, String type, String cacheControl, String length, byte[] body) {}

  private List<Response> fetch(HttpVersion version, HttpMethod method, List<String> files)
      throws Exception {
    HttpClientOptions o =
        new HttpClientOptions()
            .setProtocolVersion(version)
            .setHttp2ClearTextUpgrade(false)
            .setDefaultHost("127.0.0.1")
            .setDefaultPort(http.port());
    HttpClientAgent client = vertx.createHttpClient(o);
    try {
      // All at once: over HTTP/2 they share one connection, so the same Buffer is in several
      // streams' queues.
      List<Future<Response>> all = new ArrayList<>();
      for (String f : files) {
        all.add(
            client
                .request(method, BASE + f)
                .compose(req -> req.send())
                .compose(
                    (HttpClientResponse r) ->
                        r.body()
                            .map(
                                body ->
                                    new Response(
                                        r.statusCode(),
                                        r.getHeader("content-type"),
                                        r.getHeader("cache-control"),
                                        r.getHeader("content-length"),
                                        body.getBytes()))));
      }
      List<Response> out = new ArrayList<>();
      for (Future<Response> f : all) {
        out.add(f.await(10, TimeUnit.SECONDS));
      }
      return out;
    } finally {
      client.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static void assertMedia(String type, byte[] expected, Response r) {
    assertEquals(200, r.status());
    assertEquals(type, r.type());
    assertEquals("public, max-age=72, immutable", r.cacheControl());
    assertEquals(Integer.toString(expected.length), r.length());
    assertArrayEquals(expected, r.body());
  }

  @Test
  void servesTheSamePartWholeToConcurrentRequestsOverBothProtocols() throws Exception {
    for (HttpVersion v : List.of(HttpVersion.HTTP_1_1, HttpVersion.HTTP_2)) {
      List<Response> rs =
          fetch(v, HttpMethod.GET, List.of("p0.m4s", "p0.m4s", "p0.m4s", "p1.m4s", "p0.m4s"));
      assertMedia("video/iso.segment", part0, rs.get(0));
      assertMedia("video/iso.segment", part0, rs.get(1));
      assertMedia("video/iso.segment", part0, rs.get(2));
      assertMedia("video/iso.segment", part1, rs.get(3));
      assertMedia("video/iso.segment", part0, rs.get(4));
    }
    assertShared(p0.bytes(), part0);
    assertShared(p1.bytes(), part1);
  }

  @Test
  void servesSegmentsAsTheirPartsAndInitSections() throws Exception {
    byte[] segment = TestBytes.concat(part0, part1);
    for (HttpVersion v : List.of(HttpVersion.HTTP_1_1, HttpVersion.HTTP_2)) {
      List<Response> rs =
          fetch(v, HttpMethod.GET, List.of("s0.m4s", "init-0.mp4", "s0.m4s", "init-0.mp4"));
      assertMedia("video/iso.segment", segment, rs.get(0));
      assertMedia("video/mp4", init, rs.get(1));
      assertMedia("video/iso.segment", segment, rs.get(2));
      assertMedia("video/mp4", init, rs.get(3));
    }
    assertShared(p0.bytes(), part0);
  }

  @Test
  void headAnswersTheLengthWithoutABody() throws Exception {
    for (HttpVersion v : List.of(HttpVersion.HTTP_1_1, HttpVersion.HTTP_2)) {
      List<Response> rs = fetch(v, HttpMethod.HEAD, List.of("p0.m4s", "s0.m4s", "init-0.mp4"));
      assertEquals(Integer.toString(part0.length), rs.get(0).length());
      assertEquals(Integer.toString(part0.length + part1.length), rs.get(1).length());
      assertEquals(Integer.toString(init.length), rs.get(2).length());
      for (Response r : rs) {
        assertEquals(200, r.status());
        assertEquals(0, r.body().length);
      }
    }
    // And a GET after the HEADs still gets everything.
    assertMedia(
        "video/iso.segment",
        part0,
        fetch(HttpVersion.HTTP_1_1, HttpMethod.GET, List.of("p0.m4s")).get(0));
  }

  /**
   * {@link LiveDispatch} serves plain paths itself and leaves the rest to the router; both answer
   * alike: an escaped path is decoded, every response carries the CORS headers (with or without an
   * Origin: a shared cache hands one response to every client), and what neither route matches is a
   * 404.
   */
  @Test
  void answersTheSameWhetherTheDispatcherOrTheRouterServes() throws Exception {
    HttpClientAgent client =
        vertx.createHttpClient(
            new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(http.port()));
    try {
      Got direct = get(client, BASE + "p0.m4s", null);
      assertArrayEquals(part0, direct.body());
      assertEquals("*", direct.cors());
      Got escaped = get(client, "/live/demo/" + SESSION + "/720p/p%30.m4s", null);
      assertEquals(200, escaped.status());
      assertEquals("*", escaped.cors());
      assertArrayEquals(part0, escaped.body());
      Got cors = get(client, BASE + "p0.m4s", "https://player.example");
      assertEquals("*", cors.cors());
      assertArrayEquals(part0, cors.body());
      assertEquals(404, get(client, BASE + "x0.m4s", null).status());
      assertEquals(404, get(client, "/live/demo/other/720p/p0.m4s", null).status());
    } finally {
      client.close().await(10, TimeUnit.SECONDS);
    }
  }

  private record Got(int status, String cors, byte[] body) {}

  private static Got get(HttpClientAgent client, String path, String origin) throws Exception {
    return client
        .request(HttpMethod.GET, path)
        .compose(
            req -> {
              if (origin != null) {
                req.putHeader("Origin", origin);
              }
              return req.send();
            })
        .compose(
            r ->
                r.body()
                    .map(
                        b ->
                            new Got(
                                r.statusCode(),
                                r.getHeader("access-control-allow-origin"),
                                b.getBytes())))
        .await(10, TimeUnit.SECONDS);
  }

  /** Unchanged, unconsumed, unreleased, and closed to writes. */
  private static void assertShared(Buffer shared, byte[] expected) {
    assertEquals(expected.length, shared.length());
    assertArrayEquals(expected, shared.getBytes());
    assertEquals(1, ((BufferInternal) shared).getByteBuf().refCnt());
    assertThrows(ReadOnlyBufferException.class, () -> shared.setByte(0, (byte) 1));
    // A direct buffer of fixed capacity: appending fails on its bound before its read-only check.
    assertThrows(RuntimeException.class, () -> shared.appendByte((byte) 1));
    assertArrayEquals(expected, shared.getBytes());
  }
}
