package dev.headwater.serve;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Media still being produced is streamed chunk by chunk: the in-progress segment, the next one, and
 * the preload-hinted part, over HTTP/1.1 (chunked) and HTTP/2. The test plays the stream owner: it
 * appends chunks and parts to a timeline and signals them as the owner does.
 */
class StreamingResponsesTest {
  private static final String SESSION = "sess1";
  private static final String BASE = "/live/demo/" + SESSION + "/720p/";
  private static final RenditionSpec SPEC =
      new RenditionSpec("720p", RenditionKind.VIDEO, 720, 3_000_000, 2_800_000, 30);
  private static final TrackInfo TRACK =
      new TrackInfo(1, "vide", 90_000, "avc1.64001f", 1280, 720, 0, 0, 0, 0, 0);
  private static final long FRAME = 3_000;

  private Vertx vertx;
  private Metrics metrics;
  private HlsHttpVerticle http;
  private LiveStream stream;
  private RenditionTimeline timeline;
  private long time;
  private int seed;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    LocalCodec.registerAll(vertx);
    metrics = new Metrics();
    StreamRegistry registry = new StreamRegistry();
    stream = new LiveStream("demo", SESSION, Instant.EPOCH, metrics.forStream("demo"));
    timeline = new RenditionTimeline(SPEC, 6, 2);
    timeline.startRun(
        InitSection.of(0, new InitSegment(Bytes.wrap(TestBytes.pattern(700, 1)), TRACK)), 0);
    stream.plan(List.of(SPEC));
    registry.claim(stream);
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
                        // Small budgets, so that a client that does not read fills them at once.
                        .put("writeBufferBytes", 64 * 1024)
                        .put("sendBufferBytes", 64 * 1024)
                        .put("streamMaxLagSeconds", 0.5)),
            Map.of());
    http = new HlsHttpVerticle(config, registry, metrics);
    vertx.deployVerticle(http).await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  // ---- the owner's side ----

  private byte[] chunk(boolean startsSegment, int size) {
    byte[] b = TestBytes.pattern(size, ++seed);
    var g = timeline.addChunk(Bytes.wrap(b), time, startsSegment, System.nanoTime());
    time += FRAME;
    if (startsSegment) {
      publish();
    } else if (g.watched()) {
      vertx
          .eventBus()
          .publish(Addresses.TIMELINE_CHUNK, new TimelineEvent("demo", SESSION, System.nanoTime()));
    }
    return b;
  }

  private byte[] chunk(boolean startsSegment) {
    return chunk(startsSegment, 1000 + seed * 10);
  }

  /** Closes a part of {@code chunks}, as the cutter does once their last chunk is in. */
  private void part(boolean startsSegment, byte[]... chunks) {
    byte[] all = TestBytes.concat(chunks);
    timeline.addPart(
        Bytes.wrap(all),
        time - chunks.length * FRAME,
        chunks.length * FRAME,
        startsSegment,
        startsSegment,
        System.nanoTime());
    publish();
  }

  private void closeSegment() {
    timeline.closeSegment();
    publish();
  }

  private long version;

  private void publish() {
    stream.publish(
        new StreamSnapshot(
            "demo", SESSION, ++version, Instant.EPOCH, List.of(timeline.snapshot()), false));
    vertx
        .eventBus()
        .publish(Addresses.TIMELINE_UPDATED, new TimelineEvent("demo", SESSION, System.nanoTime()));
  }

  // ---- the viewer's side ----

  /** A response read as it arrives. */
  private static final class Streamed {
    final Buffer body = Buffer.buffer();
    volatile int status;
    volatile String length;
    volatile String transferEncoding;
    volatile boolean ended;
    volatile Throwable failed;

    synchronized byte[] bytes() {
      return body.getBytes();
    }

    synchronized int size() {
      return body.length();
    }
  }

  /** Kept: Vert.x closes a client that is no longer referenced, and its responses with it. */
  private final List<HttpClientAgent> clients = new java.util.ArrayList<>();

  private Streamed get(HttpVersion version, String file) {
    HttpClientAgent client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setProtocolVersion(version)
                .setHttp2ClearTextUpgrade(false)
                .setDefaultHost("127.0.0.1")
                .setDefaultPort(http.port()));
    clients.add(client);
    Streamed s = new Streamed();
    client
        .request(HttpMethod.GET, BASE + file)
        .compose(req -> req.send())
        .onSuccess(
            r -> {
              s.status = r.statusCode();
              s.length = r.getHeader("content-length");
              s.transferEncoding = r.getHeader("transfer-encoding");
              r.handler(
                  b -> {
                    synchronized (s) {
                      s.body.appendBuffer(b);
                    }
                  });
              r.exceptionHandler(e -> s.failed = e);
              r.endHandler(v -> s.ended = true);
            })
        .onFailure(e -> s.failed = e);
    return s;
  }

  private static void awaitBytes(Streamed s, byte[] expected) {
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertArrayEquals(
                    expected,
                    s.bytes(),
                    () -> "status " + s.status + ", failed " + s.failed + ", ended " + s.ended));
  }

  @Test
  void theSegmentInProgressArrivesChunkByChunkThenEnds() {
    for (HttpVersion v : List.of(HttpVersion.HTTP_1_1, HttpVersion.HTTP_2)) {
      byte[] c0 = chunk(true);
      byte[] c1 = chunk(false);
      part(true, c0, c1);
      byte[] c2 = chunk(false);
      long msn = timeline.snapshot().growing().msn();

      Streamed s = get(v, "s" + msn + ".m4s");
      // What exists is sent at once: two chunks in a closed part, one of the open part.
      awaitBytes(s, TestBytes.concat(c0, c1, c2));
      assertEquals(200, s.status);
      assertNull(s.length, "no length: the segment is not complete");
      if (v == HttpVersion.HTTP_1_1) {
        assertEquals("chunked", s.transferEncoding);
      }
      // Then each new chunk as it is appended, before its part closes.
      byte[] c3 = chunk(false);
      awaitBytes(s, TestBytes.concat(c0, c1, c2, c3));
      assertFalse(s.ended);
      part(false, c2, c3);
      assertFalse(s.ended);
      closeSegment();
      await().atMost(Duration.ofSeconds(5)).until(() -> s.ended);
      assertNull(s.failed);
      // The streamed body is the complete segment as served afterwards.
      Streamed whole = get(v, "s" + msn + ".m4s");
      await().atMost(Duration.ofSeconds(5)).until(() -> whole.ended);
      assertEquals(Integer.toString(whole.size()), whole.length);
      assertArrayEquals(whole.bytes(), s.bytes());
    }
    await().atMost(Duration.ofSeconds(2)).until(() -> streamingNow() == 0);
    // The server's own fan-out figure was taken (what loadtest/bench/StreamFanOut.java reads).
    String scrape = metrics.registry().scrape();
    assertTrue(
        scrape.contains("headwater_http_streaming_delay_seconds_bucket{le=\"0.02\"}"), scrape);
    assertTrue(
        metrics.registry().find("headwater_http_streaming_delay").timer().count() > 0, scrape);
  }

  @Test
  void theNextSegmentIsHeldUntilItStarts() {
    for (HttpVersion v : List.of(HttpVersion.HTTP_1_1, HttpVersion.HTTP_2)) {
      byte[] c0 = chunk(true);
      long msn = timeline.snapshot().growing().msn();
      Streamed next = get(v, "s" + (msn + 1) + ".m4s");
      Streamed farther = get(v, "s" + (msn + 2) + ".m4s");
      await().atMost(Duration.ofSeconds(5)).until(() -> farther.ended);
      assertEquals(404, farther.status);
      part(true, c0);
      closeSegment();
      assertEquals(0, next.status, "no answer before the segment starts");
      byte[] d0 = chunk(true);
      awaitBytes(next, d0);
      byte[] d1 = chunk(false);
      awaitBytes(next, TestBytes.concat(d0, d1));
      part(true, d0, d1);
      closeSegment();
      await().atMost(Duration.ofSeconds(5)).until(() -> next.ended);
      assertNull(next.failed);
    }
  }

  @Test
  void theHintedPartStreamsItsOwnChunksOnly() {
    for (HttpVersion v : List.of(HttpVersion.HTTP_1_1, HttpVersion.HTTP_2)) {
      byte[] c0 = chunk(true);
      byte[] c1 = chunk(false);
      part(true, c0, c1);
      long hinted = timeline.snapshot().nextPartSequence();
      Streamed s = get(v, "p" + hinted + ".m4s");
      byte[] c2 = chunk(false);
      awaitBytes(s, c2);
      byte[] c3 = chunk(false);
      awaitBytes(s, TestBytes.concat(c2, c3));
      part(false, c2, c3);
      await().atMost(Duration.ofSeconds(5)).until(() -> s.ended);
      assertNull(s.failed);
      assertArrayEquals(TestBytes.concat(c2, c3), s.bytes());
      // The part after it is not sent to this response even if it is there by then.
      byte[] c4 = chunk(false);
      part(false, c4);
      closeSegment();
      assertArrayEquals(TestBytes.concat(c2, c3), s.bytes());
    }
  }

  @Test
  void aSegmentWhoseRunBrokeIsResetNotEnded() {
    byte[] c0 = chunk(true);
    long msn = timeline.snapshot().growing().msn();
    Streamed s = get(HttpVersion.HTTP_1_1, "s" + msn + ".m4s");
    awaitBytes(s, c0);
    // A new run before any part of this segment closed: its MSN goes to the next segment.
    timeline.startRun(
        InitSection.of(1, new InitSegment(Bytes.wrap(TestBytes.pattern(700, 9)), TRACK)), 0);
    publish();
    await().atMost(Duration.ofSeconds(5)).until(() -> s.failed != null);
    assertFalse(s.ended, "a truncated segment must not end like a complete one");
    assertEquals(1.0, cut("abandoned"));
  }

  @Test
  void aClientThatFallsBehindIsCutAndTheOthersGoOn() throws Exception {
    byte[] c0 = chunk(true, 8_000);
    long msn = timeline.snapshot().growing().msn();
    Streamed reader = get(HttpVersion.HTTP_1_1, "s" + msn + ".m4s");
    awaitBytes(reader, c0);
    try (Socket stalled = new Socket()) {
      // A small receive buffer, never read: the chunks pile up in the server's budget.
      stalled.setReceiveBufferSize(4096);
      stalled.connect(new java.net.InetSocketAddress("127.0.0.1", http.port()));
      OutputStream out = stalled.getOutputStream();
      out.write(
          ("GET " + BASE + "s" + msn + ".m4s HTTP/1.1\r\nHost: x\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      await().atMost(Duration.ofSeconds(5)).until(() -> streamingNow() == 2);
      AtomicReference<byte[]> all = new AtomicReference<>(c0);
      // 2 MB in big chunks: far more than the budget, the kernel's buffers and the client's.
      for (int i = 0; i < 8; i++) {
        all.set(TestBytes.concat(all.get(), chunk(false, 256 * 1024)));
      }
      awaitBytes(reader, all.get());
      await().atMost(Duration.ofSeconds(5)).until(() -> cut("lag") == 1.0);
      // The stalled client was reset; the reader is still being served.
      InputStream in = stalled.getInputStream();
      stalled.setSoTimeout(5000);
      boolean reset = false;
      try {
        while (in.read(new byte[65536]) >= 0) {
          // drain what the kernel still held
        }
      } catch (java.net.SocketException e) {
        reset = true;
      }
      assertTrue(reset, "the lagging client is reset, not ended");
      byte[] more = chunk(false);
      awaitBytes(reader, TestBytes.concat(all.get(), more));
      assertFalse(reader.ended);
      assertNull(reader.failed);
    }
  }

  private int streamingNow() {
    return (int) metrics.registry().find("headwater_http_streaming_responses").gauge().value();
  }

  private double cut(String reason) {
    var c = metrics.registry().find("headwater_http_streaming_cut").tag("reason", reason).counter();
    return c == null ? 0 : c.count();
  }
}
