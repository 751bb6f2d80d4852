package dev.headwater.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headwater.bus.Addresses;
import dev.headwater.bus.LocalCodec;
import dev.headwater.bus.TimelineEvent;
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
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every response of the public listener is safe in a shared cache: with {@code corsOrigin: "*"} it
 * carries {@code Access-Control-Allow-Origin: *} whether or not the request had an {@code Origin}
 * (a CDN edge stores whatever the first client got, and may hand a response fetched without {@code
 * Origin} to a browser); with a list of origins it echoes an allowed one and always says {@code
 * Vary: Origin}. Checked on every kind of response: playlists (plain, gzipped, blocking answered at
 * once, parked then woken), init, parts, segments, streaming responses, the MPD, {@code /time},
 * 404, 400, 503, 414 and a preflight. The test plays the stream owner, as StreamingResponsesTest.
 */
class CorsTest {
  private static final String SESSION = "sess1";
  private static final String BASE = "/live/demo/" + SESSION + "/720p/";
  private static final RenditionSpec SPEC =
      new RenditionSpec("720p", RenditionKind.VIDEO, 720, 3_000_000, 2_800_000, 30);
  private static final TrackInfo TRACK =
      new TrackInfo(1, "vide", 90_000, "avc1.64001f", 1280, 720, 0, 0, 0, 0, 0);
  private static final long FRAME = 3_000;
  private static final String ALLOW_ORIGIN = "access-control-allow-origin";

  private Vertx vertx;
  private HlsHttpVerticle http;
  private LiveStream stream;
  private RenditionTimeline timeline;
  private HttpClientAgent client;
  private long time;
  private int seed;
  private long version;

  /**
   * A server whose one rendition has two complete segments (parts p0, p1) and a third in progress:
   * its part p2 is complete and the hinted part p3 has one chunk.
   */
  private void start(String corsOrigin) throws Exception {
    vertx = Vertx.vertx();
    LocalCodec.registerAll(vertx);
    Metrics metrics = new Metrics();
    StreamRegistry registry = new StreamRegistry();
    stream = new LiveStream("demo", SESSION, Instant.now(), metrics.forStream("demo"));
    timeline = new RenditionTimeline(SPEC, 6, 2);
    timeline.startRun(
        InitSection.of(0, new InitSegment(Bytes.wrap(TestBytes.pattern(700, 1)), TRACK)), 0);
    stream.plan(List.of(SPEC));
    registry.claim(stream);
    for (int segment = 0; segment < 2; segment++) {
      part(true, chunk(true), chunk(false));
      timeline.closeSegment();
    }
    part(true, chunk(true), chunk(false));
    chunk(false);
    publish();
    HeadwaterConfig config =
        ConfigLoader.fromJson(
            new JsonObject()
                .put(
                    "http",
                    new JsonObject()
                        .put("host", "127.0.0.1")
                        .put("port", 0)
                        .put("instances", 1)
                        .put("corsOrigin", corsOrigin)
                        // One parked request per rendition: the second gets a 503 at once.
                        .put("maxWaitersPerRendition", 1)),
            Map.of());
    http = new HlsHttpVerticle(config, registry, metrics);
    vertx.deployVerticle(http).await(10, TimeUnit.SECONDS);
    client =
        vertx.createHttpClient(
            new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(http.port()),
            new PoolOptions().setHttp1MaxSize(32));
  }

  @AfterEach
  void tearDown() throws Exception {
    if (vertx != null) {
      vertx.close().await(10, TimeUnit.SECONDS);
      vertx = null;
    }
  }

  private byte[] chunk(boolean startsSegment) {
    byte[] b = TestBytes.pattern(1000 + ++seed * 10, seed);
    timeline.addChunk(Bytes.wrap(b), time, startsSegment, System.nanoTime());
    time += FRAME;
    return b;
  }

  private void part(boolean startsSegment, byte[]... chunks) {
    timeline.addPart(
        Bytes.wrap(TestBytes.concat(chunks)),
        time - chunks.length * FRAME,
        chunks.length * FRAME,
        startsSegment,
        startsSegment,
        System.nanoTime());
  }

  private void publish() {
    stream.publish(
        new StreamSnapshot(
            "demo", SESSION, ++version, stream.startedAt(), List.of(timeline.snapshot()), false));
    if (vertx != null) {
      vertx
          .eventBus()
          .publish(
              Addresses.TIMELINE_UPDATED, new TimelineEvent("demo", SESSION, System.nanoTime()));
    }
  }

  /** Status and headers of a response, taken as soon as its head arrives (streams go on). */
  private record Head(int status, MultiMap headers) {
    String get(String name) {
      return headers.get(name);
    }

    String vary() {
      return String.join(", ", headers.getAll("vary"));
    }
  }

  private Future<Head> request(HttpMethod method, String path, Map<String, String> headers) {
    return client
        .request(method, path)
        .compose(
            req -> {
              headers.forEach(req::putHeader);
              return req.send();
            })
        .map(r -> new Head(r.statusCode(), r.headers()));
  }

  private Head get(String path, String origin) throws Exception {
    return request(HttpMethod.GET, path, origin == null ? Map.of() : Map.of("Origin", origin))
        .await(10, TimeUnit.SECONDS);
  }

  /**
   * One request of each kind the listener answers, in order (the parked request is woken and the
   * 503 refused in between), each without and with an {@code Origin}.
   */
  private Map<String, Head> everyKindOfResponse(String origin) throws Exception {
    Map<String, String> o = origin == null ? Map.of() : Map.of("Origin", origin);
    Map<String, Head> out = new LinkedHashMap<>();
    out.put("multivariant", get("/live/demo/master.m3u8", origin));
    out.put("playlist", get(BASE + "index.m3u8", origin));
    Map<String, String> gzip = new LinkedHashMap<>(o);
    gzip.put("Accept-Encoding", "gzip");
    out.put(
        "gzipped playlist",
        request(HttpMethod.GET, BASE + "index.m3u8", gzip).await(10, TimeUnit.SECONDS));
    out.put("blocking playlist, ready", get(BASE + "index.m3u8?_HLS_msn=1", origin));
    out.put("init", get(BASE + "init-0.mp4", origin));
    out.put("part", get(BASE + "p0.m4s", origin));
    out.put("segment", get(BASE + "s0.m4s", origin));
    out.put(
        "HEAD segment", request(HttpMethod.HEAD, BASE + "s1.m4s", o).await(10, TimeUnit.SECONDS));
    out.put("streamed segment in progress", get(BASE + "s2.m4s", origin));
    out.put("streamed hinted part", get(BASE + "p3.m4s", origin));
    out.put("mpd", get("/live/demo/manifest.mpd", origin));
    out.put("mpd by session", get("/live/demo/" + SESSION + "/manifest.mpd", origin));
    out.put("time", get("/time", origin));
    out.put("api", get("/api/streams", origin));
    out.put("health", get("/health", origin));
    // Static files as a browser asks for them (with Accept-Encoding, which the static handler
    // would answer with a Vary of its own).
    out.put("player page", request(HttpMethod.GET, "/", gzip).await(10, TimeUnit.SECONDS));
    out.put(
        "webjar",
        request(HttpMethod.GET, "/webjars/hls.js/1.4.12/dist/hls.min.js", gzip)
            .await(10, TimeUnit.SECONDS));
    out.put("404 stream", get("/live/nope/master.m3u8", origin));
    out.put("404 media", get(BASE + "s99.m4s", origin));
    out.put("404 page", get("/no/such/page", origin));
    out.put("400", get(BASE + "index.m3u8?_HLS_part=1", origin));
    out.put("414", get("/live/" + "x".repeat(5000), origin));
    // Parked: the next part of segment 2 (p3) is not complete yet.
    Future<Head> parked = request(HttpMethod.GET, BASE + "index.m3u8?_HLS_msn=2&_HLS_part=1", o);
    Thread.sleep(300);
    out.put("503", get(BASE + "index.m3u8?_HLS_msn=2&_HLS_part=2", origin));
    vertx.runOnContext(
        v -> {
          chunk(false);
          part(false, TestBytes.pattern(10, 99));
          publish();
        });
    out.put("blocking playlist, woken", parked.await(10, TimeUnit.SECONDS));
    return out;
  }

  private static void assertStatuses(Map<String, Head> got) {
    Map<String, Integer> expected = new LinkedHashMap<>();
    got.keySet().forEach(k -> expected.put(k, 200));
    expected.put("404 stream", 404);
    expected.put("404 media", 404);
    expected.put("404 page", 404);
    expected.put("400", 400);
    expected.put("414", 414);
    expected.put("503", 503);
    Map<String, Integer> actual = new LinkedHashMap<>();
    got.forEach((k, h) -> actual.put(k, h.status()));
    assertEquals(expected, actual);
  }

  /** A fresh server for each round: a round completes the hinted part and parks a request. */
  private Map<String, Head> round(String corsOrigin, String origin) throws Exception {
    tearDown();
    time = 0;
    seed = 0;
    version = 0;
    start(corsOrigin);
    Map<String, Head> got = everyKindOfResponse(origin);
    assertStatuses(got);
    assertEquals("gzip", got.get("gzipped playlist").get("content-encoding"));
    assertEquals("chunked", got.get("streamed segment in progress").get("transfer-encoding"));
    assertEquals("chunked", got.get("streamed hinted part").get("transfer-encoding"));
    return got;
  }

  @Test
  void aWildcardOriginIsOnEveryResponseWithOrWithoutOrigin() throws Exception {
    for (String origin : new String[] {null, "https://player.example"}) {
      Map<String, Head> got = round("*", origin);
      got.forEach(
          (what, h) -> {
            String label = what + " (Origin " + origin + ")";
            assertEquals("*", h.get(ALLOW_ORIGIN), label);
            assertEquals(
                "Content-Length, Age, Date", h.get("access-control-expose-headers"), label);
            // The same answer for every origin: nothing to vary on.
            assertFalse(h.vary().contains("Origin"), label + ": Vary " + h.vary());
          });
      assertEquals("Accept-Encoding", got.get("playlist").vary());
      assertEquals("Accept-Encoding", got.get("mpd").vary());
    }
  }

  @Test
  void aListOfOriginsEchoesAnAllowedOneAndAlwaysVaries() throws Exception {
    for (String origin : new String[] {null, "https://b.example:8443", "https://evil.example"}) {
      Map<String, Head> got = round("https://a.example, https://b.example:8443", origin);
      String allowed = "https://b.example:8443".equals(origin) ? origin : null;
      got.forEach(
          (what, h) -> {
            String label = what + " (Origin " + origin + ")";
            // A request line over the limit is refused before its headers are read: its Origin is
            // unknown, and the 414 is not stored anyway (no-store).
            assertEquals(what.equals("414") ? null : allowed, h.get(ALLOW_ORIGIN), label);
            assertTrue(h.vary().contains("Origin"), label + ": Vary " + h.vary());
          });
      assertEquals("Accept-Encoding, Origin", got.get("gzipped playlist").vary());
      assertEquals("Accept-Encoding, Origin", got.get("mpd").vary());
    }
  }

  @Test
  void aPreflightIsAnswered() throws Exception {
    start("*");
    Head h =
        request(
                HttpMethod.OPTIONS,
                BASE + "p0.m4s",
                Map.of(
                    "Origin",
                    "https://player.example",
                    "Access-Control-Request-Method",
                    "GET",
                    "Access-Control-Request-Headers",
                    "range"))
            .await(10, TimeUnit.SECONDS);
    assertEquals(204, h.status());
    assertEquals("*", h.get(ALLOW_ORIGIN));
    assertEquals("GET, HEAD, OPTIONS", h.get("access-control-allow-methods"));
    assertEquals("range", h.get("access-control-allow-headers"));
    assertEquals("no-store", h.get("cache-control"));
  }

  @Test
  void aPreflightFromAnOriginNotInTheListGetsNoAllowOrigin() throws Exception {
    start("https://a.example");
    Map<String, String> ask =
        Map.of("Origin", "https://evil.example", "Access-Control-Request-Method", "GET");
    Head refused = request(HttpMethod.OPTIONS, BASE + "p0.m4s", ask).await(10, TimeUnit.SECONDS);
    assertNull(refused.get(ALLOW_ORIGIN));
    assertTrue(refused.vary().contains("Origin"));
    Head allowed =
        request(
                HttpMethod.OPTIONS,
                BASE + "p0.m4s",
                Map.of("Origin", "https://a.example", "Access-Control-Request-Method", "GET"))
            .await(10, TimeUnit.SECONDS);
    assertEquals(204, allowed.status());
    assertEquals("https://a.example", allowed.get(ALLOW_ORIGIN));
  }
}
