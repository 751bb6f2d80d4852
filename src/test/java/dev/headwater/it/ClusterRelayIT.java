package dev.headwater.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headwater.encode.FfmpegLocator;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The publish relay with three origins as processes on loopback (as {@link ClusterIT}, its own
 * Hazelcast ports and cluster name). FFmpeg publishes to origin A and drops; within the reconnect
 * grace it publishes the same name to origin B, which relays it to A: the session goes on at A with
 * the same session id, the media sequence numbers continuing and one discontinuity, served by every
 * origin. While the relayed publisher is live a publisher of that name on C is refused with A's
 * reason. When it leaves B, A's session waits for it again; when A dies, B closes the relayed
 * publisher, which then starts a new session on B.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterRelayIT extends ThreeOrigins {
  private static final String NAME = "rl";
  private String session;
  private Publisher relayed;

  @Override
  OriginCluster startCluster() throws Exception {
    // Long enough for the publisher to come back on another origin; takeover stays at its default,
    // so a publisher sending media is never taken over.
    return OriginCluster.start(
        "cluster-relay",
        5811,
        json -> json.put("ingest", new JsonObject().put("reconnectGraceSeconds", 60.0)));
  }

  @Test
  @Order(1)
  void aPublisherThatReconnectsToAnotherOriginContinuesTheSessionOnItsOwner() throws Exception {
    long lastBefore;
    try (Publisher first = Publisher.ffmpeg(ffmpeg, a.rtmpUrl(NAME), 640, 360, 0)) {
      await()
          .atMost(Duration.ofSeconds(45))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> c.get(http, master()).statusCode() == 200);
      session = sessionSeenBy(c);
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> msns(playlist(c)).size() >= 2);
      List<Long> before = msns(playlist(c));
      lastBefore = before.get(before.size() - 1);
      // The uplink dies: no unpublish, the TCP connection just goes.
      first.process.destroyForcibly();
      first.process.waitFor();
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> a.log().contains("for it to reconnect"));

    relayed = Publisher.ffmpeg(ffmpeg, b.rtmpUrl(NAME), 640, 360, 0);
    cluster.closeAtEnd(relayed);
    await()
        .atMost(Duration.ofSeconds(45))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> !segmentsAfter(playlist(c), "init-1.mp4").isEmpty());

    assertEquals(session, sessionSeenBy(c), "C still serves A's session");
    assertEquals(session, sessionSeenBy(b), "so does B");
    String after = playlist(c);
    assertEquals(1, count(after, "#EXT-X-DISCONTINUITY\n"), after);
    assertTrue(
        after.contains("#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI=\"init-1.mp4\""),
        "the join is a discontinuity with a new init section:\n" + after);
    List<Long> msns = msns(after);
    assertTrue(msns.get(msns.size() - 1) > lastBefore, "the MSNs go on past " + lastBefore);
    for (int i = 1; i < msns.size(); i++) {
      assertEquals(msns.get(i - 1) + 1, msns.get(i), "no gap in the MSNs:\n" + after);
    }
    // The publisher's last segment on A closes when it drops; the relayed one's first follows it.
    List<Long> beforeJoin = msns(after.substring(0, after.indexOf("#EXT-X-DISCONTINUITY\n")));
    long lastOnA = beforeJoin.get(beforeJoin.size() - 1);
    assertTrue(lastOnA >= lastBefore, after);
    long firstAfter = msns(segmentsAfter(after, "init-1.mp4")).get(0);
    assertEquals(lastOnA + 1, firstAfter, "the relayed publisher's first segment follows on");

    // The first segment of the relayed publisher: the same bytes through B and C, and it decodes.
    String dir = "/live/" + NAME + "/" + session + "/360p/";
    String segment = dir + "s" + firstAfter + ".m4s";
    HttpResponse<byte[]> viaB = b.get(http, segment);
    HttpResponse<byte[]> viaC = c.get(http, segment);
    assertEquals(200, viaB.statusCode(), segment);
    assertEquals(200, viaC.statusCode(), segment);
    assertArrayEquals(viaB.body(), viaC.body());
    HttpResponse<byte[]> init = c.get(http, dir + "init-1.mp4");
    assertEquals(200, init.statusCode());
    ByteArrayOutputStream mp4 = new ByteArrayOutputStream();
    mp4.write(init.body());
    mp4.write(viaC.body());
    JsonObject probe = TestServer.probe(FfmpegLocator.ffprobe(""), mp4.toByteArray());
    assertEquals("h264", probe.getString("codec_name"), probe.encode());
    assertEquals(640, probe.getInteger("width"), probe.encode());
    assertTrue(Integer.parseInt(probe.getString("nb_read_frames")) > 0, probe.encode());
    assertEquals("", probe.getString("ffprobe_errors"), probe.encode());

    assertTrue(b.log().contains("is relayed from origin"), "B logs the relay");
    assertTrue(a.log().contains("continuing session " + session), "A continues its session");
    assertTrue(relayed.process.isAlive());
  }

  @Test
  @Order(2)
  void aThirdPublisherIsRefusedWithTheOwnersReasonWhileTheRelayedOneIsLive() throws Exception {
    try (Publisher third = Publisher.ffmpeg(ffmpeg, c.rtmpUrl(NAME), 640, 360, 0)) {
      assertTrue(third.waitExit(20), "FFmpeg was refused and gave up");
      assertNotEquals(0, third.process.exitValue());
    }
    assertTrue(c.log().contains("is already being published"), "C logs A's reason");
    assertEquals(session, sessionSeenBy(c));
    assertTrue(relayed.process.isAlive(), "the relayed publisher goes on");
  }

  @Test
  @Order(3)
  void whenTheRelayedPublisherLeavesTheOwnerWaitsForItAgain() throws Exception {
    relayed.process.destroyForcibly();
    relayed.process.waitFor();
    await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> count(a.log(), "for it to reconnect") == 2);
    assertTrue(a.log().contains("ended: the publisher left origin"), "A logs why the relay ended");
    assertTrue(b.log().contains("ended: the publisher left"), "B logs it too");
    assertFalse(playlist(c).contains("#EXT-X-ENDLIST"), "the session is in its grace period");
    assertEquals(session, sessionSeenBy(c));
  }

  @Test
  @Order(4)
  void whenTheOwnerDiesTheRelayedPublisherIsClosedAndStartsANewSession() throws Exception {
    try (Publisher again = Publisher.ffmpeg(ffmpeg, b.rtmpUrl(NAME), 640, 360, 0)) {
      await()
          .atMost(Duration.ofSeconds(45))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> !segmentsAfter(playlist(c), "init-2.mp4").isEmpty());
      assertEquals(session, sessionSeenBy(c), "relayed to A again, the same session");

      a.kill();
      assertTrue(again.waitExit(30), "B closed the publisher it relayed to the dead origin");
      // Whichever B notices first: the membership report, or the acknowledgements failing.
      assertTrue(
          b.log().contains("owning origin left the cluster")
              || b.log().contains("owning origin did not acknowledge"),
          "B logs why");
    }

    try (Publisher fresh = Publisher.ffmpeg(ffmpeg, b.rtmpUrl(NAME), 640, 360, 0)) {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () ->
                  c.get(http, master()).statusCode() == 200
                      && !session.equals(sessionSeenBy(c))
                      && !msns(playlist(c, sessionSeenBy(c))).isEmpty());
      assertTrue(fresh.process.isAlive());
    }
  }

  private static String master() {
    return "/live/" + NAME + "/master.m3u8";
  }

  /** The session id in the first variant's URL of {@code o}'s multivariant playlist. */
  private String sessionSeenBy(OriginProcess o) throws Exception {
    HttpResponse<byte[]> res = o.get(http, master());
    assertEquals(200, res.statusCode(), o.label);
    for (String line : text(res).split("\n")) {
      if (!line.startsWith("#") && line.endsWith("index.m3u8")) {
        String path = line.startsWith("/") ? line : "/live/" + NAME + "/" + line;
        return path.split("/")[3];
      }
    }
    throw new AssertionError("no variant in " + text(res));
  }

  private String playlist(OriginProcess o) throws Exception {
    return playlist(o, session);
  }

  private String playlist(OriginProcess o, String s) throws Exception {
    return text(o.get(http, "/live/" + NAME + "/" + s + "/360p/index.m3u8"));
  }

  /** The playlist text after {@code marker}, or "" when it is not there. */
  private static String segmentsAfter(String playlist, String marker) {
    int at = playlist.indexOf(marker);
    return at < 0 || msns(playlist.substring(at)).isEmpty() ? "" : playlist.substring(at);
  }

  private static List<Long> msns(String text) {
    return Playlists.all(text, "\ns(\\d+)\\.m4s").stream().map(Long::parseLong).toList();
  }

  private static int count(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }

  private static String text(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }
}
