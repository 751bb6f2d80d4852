package dev.headwater.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headwater.it.EdgeServer.Engine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The shipped edge configurations (conf/edge/) on the real engines, Varnish and nginx, each on a
 * loopback port in front of a real origin with FFmpeg publishing. Between each edge and the origin
 * a {@link CountingProxy} counts the requests that reach the origin. Through each edge: hls.js
 * plays LL-HLS and dash.js plays LL-DASH in Chromium from a page on another origin, after a client
 * without {@code Origin} has filled the edge's cache (the CORS failure of issue 12); viewers parked
 * on one future part cause one origin request; a part, a segment and a segment still being produced
 * reach the origin once; a 404 is not kept past its max-age and a no-store answer not at all.
 * Timings go to target/edge.txt.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EdgeIT {
  private static final String NAME = "edge";
  private static final int VIEWERS = 20;
  private static final int WATCH_SECONDS = 10;

  private TestServer origin;
  private Publisher publisher;
  private String session;
  private final Map<Engine, EdgeServer> edges = new EnumMap<>(Engine.class);
  private final Map<Engine, CountingProxy> proxies = new EnumMap<>(Engine.class);
  private ChromeDriver driver;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final ExecutorService pool = Executors.newCachedThreadPool();

  @BeforeAll
  void start() throws Exception {
    JsonObject json = TestServer.smallLadder();
    // The edges (and the counting proxies in front of the origin) are on 127.0.0.1: trusted, as
    // README "Running behind a CDN edge" asks, so the per-client share of parked requests does not
    // apply to a whole edge.
    json.getJsonObject("http").put("trustedClients", new JsonArray().add("127.0.0.1"));
    // The last test stops the publisher and needs the stream live (not ended) for a while after.
    json.put("ingest", new JsonObject().put("reconnectGraceSeconds", 120.0));
    origin = TestServer.start(json);
    publisher = Publisher.ffmpeg(origin.headwater.ffmpeg(), origin.rtmpUrl(NAME), 640, 360, 0);
    await()
        .atMost(Duration.ofSeconds(40))
        .until(() -> origin.get("/live/" + NAME + "/master.m3u8").statusCode() == 200);
    session =
        new JsonArray(origin.get("/api/streams").body()).getJsonObject(0).getString("session");
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
    pool.shutdownNow();
    for (EdgeServer e : edges.values()) {
      e.close();
    }
    for (CountingProxy p : proxies.values()) {
      p.close();
    }
    if (publisher != null) {
      publisher.close();
    }
    if (origin != null) {
      origin.close();
    }
  }

  /** The engine's edge, started on first use (a missing engine skips only its own tests). */
  private EdgeServer edge(Engine engine) throws Exception {
    EdgeServer e = edges.get(engine);
    if (e == null) {
      CountingProxy proxy = CountingProxy.start(origin.headwater.httpPort());
      proxies.put(engine, proxy);
      e = EdgeServer.start(engine, proxy.port());
      edges.put(engine, e);
    }
    return e;
  }

  private String rendition(String r) {
    return "/live/" + NAME + "/" + session + "/" + r + "/";
  }

  private HttpResponse<byte[]> get(String url, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
    headers.forEach(b::header);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private Playlists.Media playlist(String rendition) throws Exception {
    return Playlists.parse(origin.get(rendition(rendition) + "index.m3u8").body());
  }

  private static void record(String line) throws Exception {
    System.out.println(line);
    Files.writeString(
        Path.of("target", "edge.txt"),
        line + "\n",
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  /**
   * As the new user did: something without an {@code Origin} header (curl, a native player,
   * a monitoring probe) fetches the playlists and init sections through the edge first, so the edge
   * stores the responses it got. A browser playing next gets those stored responses.
   */
  private void primeWithoutOrigin(EdgeServer edge, String firstUrl) throws Exception {
    assertEquals(200, get(edge.base() + firstUrl, Map.of()).statusCode());
    for (String r : List.of("360p", "240p", "audio")) {
      Playlists.Media m = Playlists.parse(origin.get(rendition(r) + "index.m3u8").body());
      get(edge.base() + rendition(r) + "index.m3u8", Map.of());
      for (String init : Playlists.all(m.text(), "#EXT-X-MAP:URI=\"([^\"]+)\"")) {
        HttpResponse<byte[]> res = get(edge.base() + rendition(r) + init, Map.of());
        assertEquals(200, res.statusCode(), r + "/" + init);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void hlsJsPlaysLlHlsThroughTheEdgeFromAnotherOrigin(Engine engine) throws Exception {
    EdgeServer edge = edge(engine);
    String master = "/live/" + NAME + "/master.m3u8";
    primeWithoutOrigin(edge, master);
    driver = Browser.start();
    try (StockPlayerPage page = StockPlayerPage.start(StockPlayerPage.WEBJAR)) {
      Map<String, Object> s = watch(page.url(edge.base() + master));
      record(
          String.format(
              Locale.ROOT,
              "edge %s, hls.js %s: played %.2f s in %d s, stalls %s, errors %s",
              engine,
              StockPlayerPage.WEBJAR,
              s.get("played"),
              WATCH_SECONDS,
              s.get("stalls"),
              s.get("errors")));
      assertEquals(List.of(), s.get("fatal"), s.toString());
      assertTrue(((Number) s.get("played")).doubleValue() > WATCH_SECONDS - 2, s.toString());
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void dashJsPlaysLlDashThroughTheEdgeFromAnotherOrigin(Engine engine) throws Exception {
    EdgeServer edge = edge(engine);
    String mpd = "/live/" + NAME + "/manifest.mpd";
    primeWithoutOrigin(edge, mpd);
    driver = Browser.start();
    try (DashPlayerPage page = DashPlayerPage.start(DashPlayerPage.Player.DASHJS)) {
      Map<String, Object> s = watch(page.url(edge.base() + mpd));
      record(
          String.format(
              Locale.ROOT,
              "edge %s, dash.js %s: played %.2f s in %d s, stalls %s, low-latency mode %s, errors %s",
              engine,
              s.get("version"),
              s.get("played"),
              WATCH_SECONDS,
              s.get("stalls"),
              s.get("lowLatency"),
              s.get("errors")));
      assertEquals(List.of(), s.get("fatal"), s.toString());
      assertTrue(((Number) s.get("played")).doubleValue() > WATCH_SECONDS - 2, s.toString());
    }
  }

  private Map<String, Object> watch(String url) {
    return StockPlayerPage.watch(driver, url, WATCH_SECONDS);
  }

  /** One viewer's response: status, body, and when its first body byte and its end arrived. */
  private record Fetch(int status, byte[] body, double firstByte, double end, String cache) {}

  /** {@code n} viewers ask for {@code url} at once; each is read as it arrives. */
  private List<Fetch> viewers(String url, int n) throws Exception {
    List<CompletableFuture<Fetch>> all = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      all.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  HttpResponse<InputStream> r =
                      http.send(
                          HttpRequest.newBuilder(URI.create(url))
                              .timeout(Duration.ofSeconds(30))
                              .build(),
                          HttpResponse.BodyHandlers.ofInputStream());
                  try (InputStream in = r.body()) {
                    int first = in.read();
                    double firstByte = (System.nanoTime() - start) / 1e9;
                    byte[] rest = in.readAllBytes();
                    double end = (System.nanoTime() - start) / 1e9;
                    byte[] body = new byte[first < 0 ? 0 : rest.length + 1];
                    if (first >= 0) {
                      body[0] = (byte) first;
                      System.arraycopy(rest, 0, body, 1, rest.length);
                    }
                    return new Fetch(
                        r.statusCode(),
                        body,
                        firstByte,
                        end,
                        r.headers().firstValue("X-Cache").orElse(""));
                  }
                } catch (Exception e) {
                  throw new IllegalStateException(url, e);
                }
              },
              pool));
    }
    List<Fetch> out = new ArrayList<>();
    for (CompletableFuture<Fetch> f : all) {
      out.add(f.get(40, TimeUnit.SECONDS));
    }
    return out;
  }

  private static String timings(List<Fetch> fetches) {
    StringBuilder b = new StringBuilder();
    for (Fetch f : fetches) {
      b.append(String.format(Locale.ROOT, " %.2f/%.2f%s", f.firstByte(), f.end(), f.cache()));
    }
    return b.toString();
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void viewersParkedOnTheSameFuturePartCauseOneOriginRequest(Engine engine) throws Exception {
    EdgeServer edge = edge(engine);
    CountingProxy proxy = proxies.get(engine);
    Playlists.Media m = playlist("360p");
    // The third part of the segment after the one in production: 0.4-2.6 s ahead, so every
    // viewer's request is parked at the edge (or at the origin) before it exists.
    long msn = m.lastComplete() ? m.lastMsn() + 2 : m.lastMsn() + 1;
    String uri = rendition("360p") + "index.m3u8?_HLS_msn=" + msn + "&_HLS_part=2";
    List<Fetch> got = viewers(edge.base() + uri, VIEWERS);
    record("edge " + engine + ", " + VIEWERS + " parked on " + uri + ":" + timings(got));
    for (Fetch f : got) {
      assertEquals(200, f.status(), new String(f.body()));
      assertArrayEquals(got.get(0).body(), f.body());
      Playlists.Media answered = Playlists.parse(new String(f.body()));
      assertTrue(
          answered.lastMsn() > msn || (answered.lastMsn() == msn && answered.lastPart() >= 2),
          "the answer holds the part asked for:\n" + answered.text());
    }
    assertEquals(1, proxy.count(uri), () -> "origin requests: " + proxy.counts());
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aPartASegmentAndASegmentInProductionReachTheOriginOnce(Engine engine) throws Exception {
    EdgeServer edge = edge(engine);
    CountingProxy proxy = proxies.get(engine);
    Playlists.Media m = playlist("360p");
    String part = rendition("360p") + m.parts().get(m.parts().size() - 1).uri();
    String segment = rendition("360p") + m.segmentUris().get(m.segmentUris().size() - 1);
    // The segment after the one in production: the origin holds it until it starts, then streams
    // it chunk by chunk for a whole segment (2 s).
    long next = m.lastComplete() ? m.lastMsn() + 2 : m.lastMsn() + 1;
    String streamed = rendition("360p") + "s" + next + ".m4s";
    for (String uri : List.of(part, segment, streamed)) {
      List<Fetch> got = viewers(edge.base() + uri, VIEWERS);
      record("edge " + engine + ", " + VIEWERS + " viewers of " + uri + ":" + timings(got));
      byte[] whole = get(origin.base() + uri, Map.of()).body();
      for (Fetch f : got) {
        assertEquals(200, f.status(), uri);
        assertArrayEquals(whole, f.body(), uri + ": the complete object, as the origin serves it");
      }
      assertEquals(1, proxy.count(uri), () -> uri + ": origin requests " + proxy.counts());
      if (uri.equals(streamed)) {
        // Streamed while produced: the viewer whose request fetched it got its first bytes well
        // before the end; through Varnish every viewer did.
        long streamedToViewers = got.stream().filter(f -> f.end() - f.firstByte() > 1.0).count();
        assertTrue(streamedToViewers >= 1, "streamed to the fetching viewer:" + timings(got));
        if (engine == Engine.VARNISH) {
          assertEquals(VIEWERS, streamedToViewers, "streamed to every viewer:" + timings(got));
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void a404IsKeptForItsSharedMaxAgeOnlyAndNoStoreNotAtAll(Engine engine) throws Exception {
    EdgeServer edge = edge(engine);
    CountingProxy proxy = proxies.get(engine);
    Playlists.Media m = playlist("360p");
    long hinted = Long.parseLong(Playlists.attr(m.hint(), "^p(\\d+)\\.m4s$"));
    // Twelve parts ahead (2.4 s): not there yet, so a 404 kept 1 s by shared caches, not by
    // browsers.
    String future = rendition("360p") + "p" + (hinted + 12) + ".m4s";
    HttpResponse<byte[]> missing = get(edge.base() + future, Map.of());
    assertEquals(404, missing.statusCode());
    assertEquals(
        "public, max-age=0, s-maxage=1",
        missing.headers().firstValue("Cache-Control").orElse(""),
        future);
    // The edge keeps it for s-maxage: a second viewer asking at once is answered from the cache.
    assertEquals(404, get(edge.base() + future, Map.of()).statusCode());
    assertEquals(1, proxy.count(future), () -> "origin requests: " + proxy.counts());
    // Once the origin has it, the edge serves it: its 404 is older than its max-age by then.
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> origin.getBytes(future).statusCode() == 200);
    HttpResponse<byte[]> present = get(edge.base() + future, Map.of());
    assertEquals(
        200,
        present.statusCode(),
        () -> "X-Cache " + present.headers().firstValue("X-Cache").orElse("?"));
    assertEquals(2, proxy.count(future), () -> "origin requests: " + proxy.counts());

    // A 400 is no-store: every request reaches the origin.
    String bad = rendition("360p") + "index.m3u8?_HLS_part=1";
    for (int i = 0; i < 3; i++) {
      HttpResponse<byte[]> r = get(edge.base() + bad, Map.of());
      assertEquals(400, r.statusCode());
      assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(""));
    }
    assertEquals(3, proxy.count(bad), () -> "origin requests: " + proxy.counts());
  }

  /**
   * With {@code http.corsOrigin} a list, the origin varies on {@code Origin}: the edge keeps a
   * variant per {@code Origin} value (none, each allowed one, a stranger), so each client gets the
   * CORS answer for its own origin, and repeats are answered from the cache. A second origin (no
   * stream needed: a WebJar file is a cacheable response like any other, 86400 s) behind a second
   * edge of the same engine.
   */
  @ParameterizedTest
  @EnumSource(Engine.class)
  void aListOfOriginsIsCachedAsOneVariantPerOrigin(Engine engine) throws Exception {
    JsonObject json = TestServer.smallLadder();
    json.getJsonObject("http")
        .put("corsOrigin", "https://a.example, https://b.example")
        .put("trustedClients", new JsonArray().add("127.0.0.1"));
    try (TestServer listed = TestServer.start(json);
        CountingProxy proxy = CountingProxy.start(listed.headwater.httpPort());
        EdgeServer edge = EdgeServer.start(engine, proxy.port())) {
      String uri = "/webjars/hls.js/" + StockPlayerPage.WEBJAR + "/dist/hls.min.js";
      String[] origins = {
        null, "https://a.example", "https://b.example", "https://evil.example",
        null, "https://a.example", "https://b.example", "https://evil.example"
      };
      List<String> seen = new ArrayList<>();
      for (String o : origins) {
        HttpResponse<byte[]> r = get(edge.base() + uri, o == null ? Map.of() : Map.of("Origin", o));
        assertEquals(200, r.statusCode());
        String allow = r.headers().firstValue("Access-Control-Allow-Origin").orElse(null);
        String expected = o == null || o.contains("evil") ? null : o;
        seen.add(o + " -> " + allow + " " + r.headers().firstValue("X-Cache").orElse("?"));
        assertEquals(expected, allow, () -> "origin " + o + ": " + seen);
        assertTrue(
            String.join(",", r.headers().allValues("Vary")).contains("Origin"),
            () -> "Vary " + r.headers().allValues("Vary"));
      }
      record("edge " + engine + ", corsOrigin list, " + uri + ": " + seen);
      assertEquals(4, proxy.count(uri), () -> "one origin fetch per Origin value: " + seen);
    }
  }

  /**
   * A 503 (a blocking request the origin gave up on after 3 target durations, no-store) is never
   * answered from the edge's cache: each request reaches the origin. Runs last: it stops the
   * publisher, so that the next part never comes (the stream stays live in its reconnect grace).
   */
  @Order(Integer.MAX_VALUE)
  @ParameterizedTest
  @EnumSource(Engine.class)
  void a503IsNeverReused(Engine engine) throws Exception {
    EdgeServer edge = edge(engine);
    CountingProxy proxy = proxies.get(engine);
    publisher.close();
    // The encoder's last parts trickle in after the publisher is gone; wait until they stop.
    String[] last = {""};
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () -> {
              String now = origin.get(rendition("360p") + "index.m3u8").body();
              boolean still = now.equals(last[0]);
              last[0] = now;
              return still;
            });
    Playlists.Media m = Playlists.parse(last[0]);
    assertTrue(!m.ended(), "still live, in the reconnect grace:\n" + m.text());
    String uri = rendition("360p") + "index.m3u8?_HLS_msn=" + (m.lastMsn() + 1) + "&_HLS_part=0";
    for (int i = 1; i <= 2; i++) {
      long t0 = System.nanoTime();
      HttpResponse<byte[]> r = get(edge.base() + uri, Map.of());
      double waited = (System.nanoTime() - t0) / 1e9;
      record(
          String.format(
              Locale.ROOT, "edge %s, %s: %d after %.2f s", engine, uri, r.statusCode(), waited));
      assertEquals(503, r.statusCode(), new String(r.body()));
      assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(""));
      assertEquals(i, proxy.count(uri), () -> "origin requests: " + proxy.counts());
    }
  }
}
