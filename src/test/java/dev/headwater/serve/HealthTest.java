package dev.headwater.serve;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.headwater.config.HeadwaterConfig;
import dev.headwater.metrics.EventLoopHeartbeat;
import dev.headwater.metrics.Metrics;
import dev.headwater.timeline.LiveStream;
import dev.headwater.timeline.StreamRegistry;
import io.netty.channel.DefaultEventLoopGroup;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** /health tells the truth: a stuck event loop and a failing encoder each make it DOWN. */
class HealthTest {
  private final Metrics metrics = new Metrics();
  private final StreamRegistry registry = new StreamRegistry();
  private final DefaultEventLoopGroup loops = new DefaultEventLoopGroup(2);

  @AfterEach
  void tearDown() throws Exception {
    loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
  }

  private Health health(EventLoopHeartbeat heartbeat) {
    return new Health(registry, HeadwaterConfig.defaults().ffmpeg(), heartbeat);
  }

  @Test
  void upWhenEveryLoopBeatsAndNoEncoderFails() {
    EventLoopHeartbeat h = EventLoopHeartbeat.start(loops, metrics.meterRegistry());
    registry.claim(new LiveStream("a", "s1", Instant.EPOCH, metrics.forStream("a")));
    assertEquals(
        new JsonObject().put("status", "UP").put("liveStreams", 1),
        health(h).report(System.nanoTime()));
    h.stop();
  }

  @Test
  void downWhileAnEventLoopIsStuck() throws Exception {
    EventLoopHeartbeat h = EventLoopHeartbeat.start(loops, metrics.meterRegistry());
    CountDownLatch release = new CountDownLatch(1);
    // A task that blocks its loop, as blocking I/O on an event loop would.
    loops.next().execute(() -> awaitQuietly(release));
    try {
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> health(h).report(System.nanoTime()).getString("status").equals("DOWN"));
      JsonObject report = health(h).report(System.nanoTime());
      String problem = report.getJsonArray("problems").getJsonObject(0).getString("problem");
      assertEquals(true, problem.startsWith("stuck for "), problem);
      assertEquals(
          true,
          metrics.registry().get("headwater_event_loop_lag_seconds").gauge().value() > 5,
          "the lag is a metric too");
    } finally {
      release.countDown();
    }
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> health(h).report(System.nanoTime()).getString("status").equals("UP"));
    h.stop();
  }

  @Test
  void downWhileAStreamReceivesMediaButItsEncoderProducesNothing() {
    LiveStream s = new LiveStream("cam", "s2", Instant.EPOCH, metrics.forStream("cam"));
    registry.claim(s);
    long t0 = System.nanoTime();
    // 31 s of media with no part: past ffmpeg.startTimeoutSeconds + stallTimeoutSeconds (30 s).
    for (int i = 0; i <= 310; i++) {
      s.meters().encoderHealth().ingest(t0 + i * 100_000_000L);
    }
    JsonObject report = health(null).report(t0 + 31_000_000_000L);
    assertEquals("DOWN", report.getString("status"));
    assertEquals(
        new JsonObject()
            .put("stream", "cam")
            .put("problem", "publisher media arriving but no part out for 31 s"),
        report.getJsonArray("problems").getJsonObject(0));
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
