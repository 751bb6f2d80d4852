package dev.headwater.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 9, RTMP: each attack runs against the real server while a real FFmpeg publishes, and each
 * test ends by checking that the legitimate stream kept producing parts. Attackers connect from
 * 127.0.0.x addresses other than the publisher's 127.0.0.1, as they would from the internet.
 * Deadlines are short here (1 s handshake, 2 s publish and first media) to keep the test quick.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RtmpHostileIT {
  static final int MIB = 1024 * 1024;
  static final int PER_ADDRESS = 40;
  static final int TOTAL = 130;

  private TestServer server;
  private Publisher legit;
  private String legitPlaylist;
  private final ExecutorService pool = Executors.newFixedThreadPool(24);

  @BeforeAll
  void start() throws Exception {
    JsonObject json = TestServer.smallLadder();
    json.getJsonObject("ffmpeg").put("passthrough", true);
    json.getJsonObject("rtmp")
        .put(
            "streamKeys",
            new JsonObject().put("legit", "k1").put("late", "k2").put("nomedia", "k3"))
        .put("maxConnections", TOTAL)
        .put("maxConnectionsPerAddress", PER_ADDRESS)
        // Each attacker address may open its PER_ADDRESS connections at once, then hardly more.
        .put("maxNewConnectionsPerAddressPerSecond", 0.1)
        .put("maxPendingBytesTotal", 4 * MIB)
        .put("handshakeTimeoutSeconds", 1.0)
        .put("publishTimeoutSeconds", 2.0)
        .put("firstMediaTimeoutSeconds", 2.0)
        .put("mediaIdleTimeoutSeconds", 3.0);
    server = TestServer.start(json);
    legit =
        Publisher.ffmpeg(server.headwater.ffmpeg(), server.rtmpUrl("legit?key=k1"), 320, 240, 0);
    await()
        .atMost(Duration.ofSeconds(40))
        .until(() -> server.get("/live/legit/master.m3u8").statusCode() == 200);
    String session =
        new JsonArray(server.get("/api/streams").body()).getJsonObject(0).getString("session");
    legitPlaylist = "/live/legit/" + session + "/source/index.m3u8";
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> Playlists.parse(server.get(legitPlaylist).body()).segmentUris().size() >= 1);
  }

  @AfterAll
  void stop() throws Exception {
    pool.shutdownNow();
    if (legit != null) {
      legit.close();
    }
    server.close();
  }

  /** After each attack: the publisher is connected and its stream still gains parts. */
  @AfterEach
  void legitimateStreamIsUnaffected() throws Exception {
    assertTrue(legit.process.isAlive(), legit.log());
    Playlists.Media before = Playlists.parse(server.get(legitPlaylist).body());
    long start = before.lastMsn() * 1000 + before.lastPart();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () -> {
              Playlists.Media now = Playlists.parse(server.get(legitPlaylist).body());
              return now.lastMsn() * 1000 + now.lastPart() >= start + 3;
            });
    // Every anonymous connection is gone again and its memory returned.
    await().atMost(Duration.ofSeconds(5)).until(() -> gauge("headwater_rtmp_connections") <= 1);
    assertEquals(0, gauge("headwater_rtmp_pending_bytes"));
  }

  @Test
  void announcedMessagesCostOnlyWhatArrives() throws Exception {
    double errorsBefore = counter("headwater_rtmp_protocol_errors", null, null);
    List<Future<Long>> bombs = new ArrayList<>();
    List<RawRtmp> hoarders = new ArrayList<>();
    // 40 connections announce 8 MiB messages: over the 64 KiB a connection may hold before its
    // key is checked, so each is closed at its first header.
    for (int i = 0; i < 40; i++) {
      String from = "127.0.0." + (10 + i % 4);
      bombs.add(
          pool.submit(
              () -> {
                try (RawRtmp c = RawRtmp.open(from, server.headwater.rtmpPort())) {
                  c.handshake().connect("live");
                  long t0 = System.nanoTime();
                  for (int cs = 4; cs < 64; cs++) {
                    c.announce(cs, 8 * MIB);
                  }
                  assertNotNull(c.readUntilClosed(1500), "closed at once");
                  return (System.nanoTime() - t0) / 1_000_000;
                } catch (java.net.SocketException e) {
                  return 0L; // reset while still sending headers: closed as well
                }
              }));
    }
    // 30 connections stay under the per-connection bound: 60 messages of 60 KB announced, one
    // chunk of each sent. They may hold what they sent (about 15 KB each), no more.
    for (int i = 0; i < 30; i++) {
      RawRtmp c = RawRtmp.open("127.0.0." + (20 + i % 3), server.headwater.rtmpPort());
      hoarders.add(c);
      c.handshake().connect("live");
      for (int cs = 4; cs < 64; cs++) {
        c.announce(cs, 60_000);
        c.send(new byte[128]);
      }
    }
    for (Future<Long> f : bombs) {
      assertTrue(f.get() < 1500, "a bomb was closed after " + f.get() + " ms");
    }
    await().atMost(Duration.ofSeconds(2)).until(() -> gauge("headwater_rtmp_pending_bytes") > 0);
    double held = gauge("headwater_rtmp_pending_bytes");
    assertTrue(held <= 30 * 64 * 1024, "anonymous connections hold " + held + " bytes");
    assertTrue(counter("headwater_rtmp_protocol_errors", null, null) >= errorsBefore + 40);
    // The hoarders are closed by the publish deadline (2 s after their handshake).
    for (RawRtmp c : hoarders) {
      assertNotNull(c.readUntilClosed(5000), "closed by the publish deadline");
      c.close();
    }
  }

  @Test
  void aTrickledHandshakeIsClosedAtItsDeadline() throws Exception {
    double before = counter("headwater_rtmp_timeouts", "phase", "handshake");
    List<Future<Long>> trickles = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      trickles.add(
          pool.submit(
              () -> {
                try (RawRtmp c = RawRtmp.open("127.0.0.40", server.headwater.rtmpPort())) {
                  long t0 = System.nanoTime();
                  for (int sent = 0; sent < 1537; sent++) {
                    try {
                      c.send(new byte[] {3});
                    } catch (java.io.IOException e) {
                      return (System.nanoTime() - t0) / 1_000_000;
                    }
                    if (c.readUntilClosed(200) != null) {
                      return (System.nanoTime() - t0) / 1_000_000;
                    }
                  }
                  return Long.MAX_VALUE;
                }
              }));
    }
    for (Future<Long> f : trickles) {
      long ms = f.get();
      // Deadline 1 s from accept; one byte every 200 ms would have kept an idle timer alive.
      assertTrue(ms >= 800 && ms < 3000, "closed after " + ms + " ms");
    }
    assertTrue(counter("headwater_rtmp_timeouts", "phase", "handshake") >= before + 10);
  }

  @Test
  void aConnectionThatNeverPublishesIsClosedAtThePublishDeadline() throws Exception {
    double before = counter("headwater_rtmp_timeouts", "phase", "publish");
    try (RawRtmp c = RawRtmp.open("127.0.0.50", server.headwater.rtmpPort())) {
      c.handshake();
      long t0 = System.nanoTime();
      c.connect("live");
      assertNotNull(c.readUntilClosed(6000), "closed by the publish deadline");
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertTrue(ms >= 1500 && ms < 4000, "closed after " + ms + " ms");
    }
    assertTrue(counter("headwater_rtmp_timeouts", "phase", "publish") >= before + 1);
  }

  @Test
  void aPublishWithoutMediaIsClosedAndFreesTheName() throws Exception {
    double before = counter("headwater_rtmp_timeouts", "phase", "first_media");
    for (int round = 0; round < 2; round++) {
      try (RawRtmp c = RawRtmp.open("127.0.0.60", server.headwater.rtmpPort())) {
        c.handshake().connect("live").publish("nomedia?key=k3");
        byte[] replies = c.readUntilClosed(8000);
        assertNotNull(replies, "closed by the first-media deadline");
        // Accepted first (so the name was claimed), then closed for sending nothing. The second
        // round is accepted too: the name did not wait out the reconnect grace.
        assertTrue(
            new String(replies, StandardCharsets.ISO_8859_1).contains("NetStream.Publish.Start"),
            "round " + round);
      }
      await()
          .atMost(Duration.ofSeconds(3))
          .until(() -> !server.get("/api/streams").body().contains("\"nomedia\""));
    }
    assertTrue(counter("headwater_rtmp_timeouts", "phase", "first_media") >= before + 2);
  }

  @Test
  void connectionCapsHoldAndAPublisherStillGetsIn() throws Exception {
    double perAddressBefore =
        counter("headwater_rtmp_connections_refused", "reason", "per_address");
    List<RawRtmp> idle = new ArrayList<>();
    try {
      for (int i = 0; i < PER_ADDRESS; i++) {
        idle.add(RawRtmp.open("127.0.0.70", server.headwater.rtmpPort()));
      }
      await().atMost(Duration.ofSeconds(2)).until(() -> gauge("headwater_rtmp_connections") >= 41);
      try (RawRtmp extra = RawRtmp.open("127.0.0.70", server.headwater.rtmpPort())) {
        assertNotNull(extra.readUntilClosed(1000), "over the per-address cap: closed at accept");
      }
      assertTrue(
          counter("headwater_rtmp_connections_refused", "reason", "per_address")
              >= perAddressBefore + 1);
      // While one address holds its whole share, a publisher from another address gets in.
      long t0 = System.nanoTime();
      try (Publisher late =
          Publisher.ffmpeg(server.headwater.ffmpeg(), server.rtmpUrl("late?key=k2"), 320, 240, 0)) {
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> server.get("/api/streams").body().contains("\"late\""));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < 5000, "publish took " + ms + " ms");
      }
    } finally {
      for (RawRtmp c : idle) {
        c.close();
      }
    }
    // The address spent its burst: reconnecting at once is refused before any handshake.
    double rateBefore = counter("headwater_rtmp_connections_refused", "reason", "rate");
    try (RawRtmp again = RawRtmp.open("127.0.0.70", server.headwater.rtmpPort())) {
      assertNotNull(again.readUntilClosed(1000), "too fast: closed at accept");
    }
    assertEquals(rateBefore + 1, counter("headwater_rtmp_connections_refused", "reason", "rate"));
    // Fill the global cap from several addresses: the next connection is admitted and the oldest
    // anonymous one makes room for it.
    await().atMost(Duration.ofSeconds(5)).until(() -> gauge("headwater_rtmp_connections") <= 1);
    double evictedBefore = counter("headwater_rtmp_connections_evicted", null, null);
    List<RawRtmp> fill = new ArrayList<>();
    try {
      int open = (int) gauge("headwater_rtmp_connections");
      for (int i = 0; i < TOTAL - open; i++) {
        fill.add(RawRtmp.open("127.0.0." + (80 + i / PER_ADDRESS), server.headwater.rtmpPort()));
      }
      await()
          .atMost(Duration.ofSeconds(2))
          .until(() -> gauge("headwater_rtmp_connections") >= TOTAL);
      try (RawRtmp newest = RawRtmp.open("127.0.0.99", server.headwater.rtmpPort())) {
        assertNotNull(fill.get(0).readUntilClosed(1000), "the oldest was closed to make room");
        newest.handshake();
        assertEquals(evictedBefore + 1, counter("headwater_rtmp_connections_evicted", null, null));
      }
    } finally {
      for (RawRtmp c : fill) {
        c.close();
      }
    }
  }

  private MeterRegistry registry() {
    return server.headwater.metrics().meterRegistry();
  }

  private double counter(String name, String tag, String value) {
    var search = registry().find(name);
    if (tag != null) {
      search = search.tag(tag, value);
    }
    Counter c = search.counter();
    return c == null ? 0 : c.count();
  }

  private double gauge(String name) {
    Gauge g = registry().find(name).gauge();
    return g == null ? 0 : g.value();
  }
}
