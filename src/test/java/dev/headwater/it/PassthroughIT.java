package dev.headwater.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** ffmpeg.passthrough: the publisher's H.264/AAC repackaged into LL-HLS without transcoding. */
class PassthroughIT {
  @Test
  void repackagesThePublishersOwnStream() throws Exception {
    JsonObject json = TestServer.smallLadder();
    json.getJsonObject("ffmpeg").put("passthrough", true);
    try (TestServer server = TestServer.start(json);
        Publisher publisher =
            Publisher.ffmpeg(server.headwater.ffmpeg(), server.rtmpUrl("pass"), 640, 360, 0)) {
      await()
          .atMost(Duration.ofSeconds(40))
          .until(() -> server.get("/live/pass/master.m3u8").statusCode() == 200);
      String master = server.get("/live/pass/master.m3u8").body();
      assertTrue(master.contains("RESOLUTION=640x360"), master);
      assertEquals(1, Playlists.all(master, "(#EXT-X-STREAM-INF)").size(), master);
      String session =
          new JsonArray(server.get("/api/streams").body()).getJsonObject(0).getString("session");
      String path = "/live/pass/" + session + "/source/index.m3u8";
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> Playlists.parse(server.get(path).body()).segmentUris().size() >= 2);
      Playlists.Media m = Playlists.parse(server.get(path).body());
      for (int i = 0; i + 1 < m.parts().size(); i++) {
        Playlists.Part p = m.parts().get(i);
        assertTrue(p.duration() <= 0.2, p.toString());
        boolean lastOfSegment = m.parts().get(i + 1).msn() != p.msn();
        if (!lastOfSegment && !p.independent()) {
          assertTrue(
              p.duration() >= 0.17, "parts of 6 frames despite millisecond FLV timestamps: " + p);
        }
      }
      assertTrue(m.text().contains("#EXTINF:2.000,"), m.text());
    }
  }
}
