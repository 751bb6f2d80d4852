package dev.headwater.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * RTMP ingest with real clients: stream keys, name collisions, GStreamer, several publishers, bad
 * input.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IngestIT {
  private TestServer server;
  private Publisher keyed;
  private Publisher gst;

  @BeforeAll
  void start() throws Exception {
    JsonObject json = TestServer.smallLadder();
    json.getJsonObject("rtmp")
        .put("streamKeys", new JsonObject().put("keyed", "s3cret").put("gst", "g5t"));
    // One rung keeps two simultaneous transcodes affordable on two cores.
    json.put("ladder", new JsonArray().add(json.getJsonArray("ladder").getJsonObject(1)));
    server = TestServer.start(json);
  }

  @AfterAll
  void stop() throws Exception {
    for (Publisher p : new Publisher[] {keyed, gst}) {
      if (p != null) {
        p.close();
      }
    }
    server.close();
  }

  @Test
  @Order(1)
  void wrongOrMissingKeyIsRefused() throws Exception {
    for (String url :
        List.of(
            server.rtmpUrl("keyed?key=wrong"),
            server.rtmpUrl("keyed"),
            server.rtmpUrl("unknown?key=s3cret"))) {
      try (Publisher p = Publisher.ffmpeg(server.headwater.ffmpeg(), url, 320, 240, 5)) {
        assertTrue(p.waitExit(20), "a refused publisher is disconnected");
        assertNotEquals(0, p.process.exitValue(), p.log());
        assertTrue(
            p.log().contains("NetStream.Publish.BadName")
                || p.log().toLowerCase().contains("error"),
            p.log());
      }
    }
    assertEquals(0, new JsonArray(server.get("/api/streams").body()).size());
  }

  @Test
  @Order(2)
  void rightKeyPublishes() throws Exception {
    keyed =
        Publisher.ffmpeg(
            server.headwater.ffmpeg(), server.rtmpUrl("keyed?key=s3cret"), 320, 240, 0);
    await()
        .atMost(Duration.ofSeconds(40))
        .until(() -> server.get("/live/keyed/master.m3u8").statusCode() == 200);
  }

  @Test
  @Order(3)
  void secondPublisherToALiveNameIsRefused() throws Exception {
    try (Publisher second =
        Publisher.ffmpeg(
            server.headwater.ffmpeg(), server.rtmpUrl("keyed?key=s3cret"), 320, 240, 5)) {
      assertTrue(second.waitExit(20));
      assertNotEquals(0, second.process.exitValue(), second.log());
    }
    assertTrue(keyed.process.isAlive(), "the first publisher keeps streaming");
    assertEquals(200, server.get("/live/keyed/master.m3u8").statusCode());
  }

  @Test
  @Order(4)
  void gstreamerPublishesAlongsideFfmpeg() throws Exception {
    String gstLaunch = OnPath.find("gst-launch-1.0");
    if (System.getenv("CI") == null) {
      Assumptions.assumeTrue(gstLaunch != null, "gst-launch-1.0 not installed (CI installs it)");
    }
    assertTrue(gstLaunch != null, "CI must install GStreamer (see .ci/run)");
    String location = server.rtmpUrl("gst?key=g5t");
    gst =
        Publisher.start(
            List.of(
                gstLaunch,
                "-q",
                "videotestsrc",
                "is-live=true",
                "!",
                "video/x-raw,width=320,height=240,framerate=30/1",
                "!",
                "x264enc",
                "tune=zerolatency",
                "speed-preset=ultrafast",
                "key-int-max=30",
                "bitrate=600",
                "!",
                "h264parse",
                "!",
                "flvmux",
                "name=mux",
                "streamable=true",
                "!",
                "rtmp2sink",
                "location=" + location,
                "audiotestsrc",
                "is-live=true",
                "!",
                "audioconvert",
                "!",
                "audioresample",
                "!",
                "avenc_aac",
                "!",
                "aacparse",
                "!",
                "mux."));
    await()
        .atMost(Duration.ofSeconds(40))
        .until(() -> server.get("/live/gst/master.m3u8").statusCode() == 200);
    String master = server.get("/live/gst/master.m3u8").body();
    assertTrue(master.contains("mp4a.40.2"), master);
    JsonArray streams = new JsonArray(server.get("/api/streams").body());
    assertEquals(2, streams.size(), "two publishers at once: " + streams);
    String session =
        streams.stream()
            .map(o -> (JsonObject) o)
            .filter(o -> o.getString("name").equals("gst"))
            .findFirst()
            .orElseThrow()
            .getString("session");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                Playlists.parse(server.get("/live/gst/" + session + "/240p/index.m3u8").body())
                        .parts()
                        .size()
                    > 5);
  }

  @Test
  @Order(5)
  void malformedInputClosesOnlyThatConnection() throws Exception {
    try (Socket s = new Socket("127.0.0.1", server.headwater.rtmpPort())) {
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      out.write(new byte[] {0x07, 1, 2, 3, 4, 5, 6, 7, 8});
      out.flush();
      InputStream in = s.getInputStream();
      assertEquals(-1, in.read(), "the server closes a connection with a bad handshake");
    }
    assertTrue(keyed.process.isAlive());
    assertEquals(200, server.get("/live/keyed/master.m3u8").statusCode());
  }

  /** Finds an executable on PATH. */
  static final class OnPath {
    static String find(String name) {
      for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
        java.io.File f = new java.io.File(dir, name);
        if (f.canExecute()) {
          return f.getPath();
        }
      }
      return null;
    }
  }
}
