package dev.headwater.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Continuity across publisher faults with real FFmpeg publishers: a publisher that drops and comes
 * back within the grace period continues its session; one that stalls is taken over; one that stays
 * away ends the stream. Each test publishes its own stream name, so the tests do not depend on each
 * other.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReconnectIT {
  private TestServer server;

  @BeforeAll
  void start() throws Exception {
    JsonObject json =
        TestServer.smallLadder()
            .put(
                "ingest",
                new JsonObject()
                    .put("reconnectGraceSeconds", 8.0)
                    .put("takeoverAfterSeconds", 2.0));
    server = TestServer.start(json);
  }

  @AfterAll
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  private Publisher publish(String name, int width, int height) throws Exception {
    return Publisher.ffmpeg(server.headwater.ffmpeg(), server.rtmpUrl(name), width, height, 0);
  }

  private String session(String name) throws Exception {
    for (Object o : new JsonArray(server.get("/api/streams").body())) {
      JsonObject s = (JsonObject) o;
      if (s.getString("name").equals(name)) {
        return s.getString("session");
      }
    }
    return null;
  }

  private String playlist(String name, String session, String rendition) throws Exception {
    return server.get("/live/" + name + "/" + session + "/" + rendition + "/index.m3u8").body();
  }

  private static int count(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }

  /** Media sequence numbers of the segments listed, in order. */
  private static List<Long> msns(String text) {
    return Playlists.all(text, "\ns(\\d+)\\.m4s").stream().map(Long::parseLong).toList();
  }

  private String awaitLive(String name) throws Exception {
    await()
        .atMost(Duration.ofSeconds(40))
        .until(() -> server.get("/live/" + name + "/master.m3u8").statusCode() == 200);
    return session(name);
  }

  @Test
  void aPublisherThatReconnectsWithinTheGraceContinuesTheSession() throws Exception {
    String s;
    long lastBefore;
    try (Publisher first = publish("rc", 640, 360)) {
      s = awaitLive("rc");
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> msns(playlist("rc", s, "360p")).size() >= 2);
      List<Long> before = msns(playlist("rc", s, "360p"));
      lastBefore = before.get(before.size() - 1);
      first.process
          .destroyForcibly(); // the uplink dies: no unpublish, the TCP connection just goes
      first.process.waitFor();
    }
    // During the grace period the stream stays live: no ENDLIST, the session is still listed.
    await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> true);
    String during = playlist("rc", s, "360p");
    assertFalse(during.contains("#EXT-X-ENDLIST"), during);
    assertEquals(s, session("rc"));

    try (Publisher second = publish("rc", 640, 360)) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                String t = playlist("rc", s, "360p");
                return t.contains("#EXT-X-MAP:URI=\"init-1.mp4\"")
                    && msns(t).size() > 0
                    && t.indexOf("#EXT-X-PART", t.indexOf("init-1.mp4")) > 0;
              });
      assertEquals(s, session("rc"), "the same session and URLs continue");
      String after = playlist("rc", s, "360p");
      assertEquals(1, count(after, "#EXT-X-DISCONTINUITY\n"), after);
      assertTrue(
          after.contains("#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI=\"init-1.mp4\""),
          "the join is a discontinuity with a new init section:\n" + after);
      List<Long> msns = msns(after);
      assertTrue(
          msns.contains(lastBefore), "segments from before the outage are still listed:\n" + after);
      for (int i = 1; i < msns.size(); i++) {
        assertEquals(
            msns.get(i - 1) + 1,
            msns.get(i),
            "media sequence numbers go on without a gap:\n" + after);
      }
      String audio = playlist("rc", s, "audio");
      assertEquals(1, count(audio, "#EXT-X-DISCONTINUITY\n"), audio);
      assertEquals(200, server.get("/live/rc/master.m3u8").statusCode());
    }
  }

  @Test
  void aSmallerSourceOnReconnectReplansTheLadder() throws Exception {
    String s;
    try (Publisher first = publish("shrink", 640, 360)) {
      s = awaitLive("shrink");
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> msns(playlist("shrink", s, "240p")).size() >= 1);
      first.process.destroyForcibly();
      first.process.waitFor();
    }
    try (Publisher second = publish("shrink", 320, 240)) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> playlist("shrink", s, "240p").contains("init-1.mp4"));
      assertEquals(s, session("shrink"));
      String master = server.get("/live/shrink/master.m3u8").body();
      assertFalse(
          master.contains("360p/index.m3u8"), "a 240-line source gets no 360p rung:\n" + master);
      assertTrue(master.contains("240p/index.m3u8"), master);
      String dropped = playlist("shrink", s, "360p");
      assertTrue(
          dropped.contains("#EXT-X-ENDLIST"),
          "the dropped rung's playlist ends, so players move on:\n" + dropped);
      String kept = playlist("shrink", s, "240p");
      assertTrue(kept.contains("#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI=\"init-1.mp4\""), kept);
    }
  }

  @Test
  void aPublisherThatSendsNothingIsTakenOver() throws Exception {
    try (Publisher stale = publish("take", 640, 360)) {
      String s = awaitLive("take");
      // The old publisher's connection stays open but no media flows (a frozen encoder).
      new ProcessBuilder("kill", "-STOP", Long.toString(stale.process.pid())).start().waitFor();
      // Past ingest.takeoverAfterSeconds (2 s) of silence the name may be taken over.
      await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> true);
      try (Publisher fresh = publish("take", 640, 360)) {
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> playlist("take", s, "360p").contains("init-1.mp4"));
        assertEquals(s, session("take"), "the new publisher continues the session");
        new ProcessBuilder("kill", "-CONT", Long.toString(stale.process.pid())).start().waitFor();
        assertTrue(stale.waitExit(20), "the old publisher's connection was closed");
        assertTrue(fresh.process.isAlive());
      }
    }
  }

  @Test
  void aSecondPublisherOfALiveNameIsRefused() throws Exception {
    try (Publisher owner = publish("busy", 640, 360)) {
      String s = awaitLive("busy");
      try (Publisher intruder = publish("busy", 640, 360)) {
        assertTrue(intruder.waitExit(20), "refused while the first publisher sends media");
        assertTrue(
            intruder.log().contains("BadName") || intruder.log().contains("already"),
            intruder.log());
      }
      assertEquals(s, session("busy"));
      assertTrue(owner.process.isAlive());
    }
  }

  @Test
  void aPublisherThatStaysAwayEndsTheStreamAfterTheGrace() throws Exception {
    String s;
    try (Publisher first = publish("gone", 640, 360)) {
      s = awaitLive("gone");
      first.process.destroyForcibly();
      first.process.waitFor();
    }
    long left = System.nanoTime();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> playlist("gone", s, "360p").contains("#EXT-X-ENDLIST"));
    long endedAfterMillis = (System.nanoTime() - left) / 1_000_000;
    assertTrue(
        endedAfterMillis >= 7_000,
        "ENDLIST only after the grace period, was " + endedAfterMillis + " ms");
    try (Publisher again = publish("gone", 640, 360)) {
      await()
          .atMost(Duration.ofSeconds(40))
          .until(() -> session("gone") != null && !s.equals(session("gone")));
      assertNotEquals(s, session("gone"), "after the grace a publish starts a new session");
    }
  }
}
