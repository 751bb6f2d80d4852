package dev.headwater.encode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headwater.config.ConfigLoader;
import dev.headwater.config.HeadwaterConfig;
import dev.headwater.media.flv.FlvTag;
import dev.headwater.metrics.Metrics;
import dev.headwater.metrics.StreamMeters;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Supervision against a fake process and a manual clock: no FFmpeg, no waiting. */
class EncoderSupervisorTest {
  private final ManualScheduler clock = new ManualScheduler();
  private final FakeLauncher launcher = new FakeLauncher(clock);
  private final Metrics metrics = new Metrics();
  private final StreamMeters meters = metrics.forStream("cam");
  private final List<LadderPlan> plans = new ArrayList<>();
  private final List<long[]> anchors = new ArrayList<>();
  private final List<String> failures = new ArrayList<>();
  private final ByteBudget budget = new ByteBudget(1 << 20);
  private HeadwaterConfig config = HeadwaterConfig.defaults();
  private EncoderSupervisor supervisor;

  private EncoderSupervisor supervisor() {
    supervisor =
        new EncoderSupervisor(
            config,
            "ffmpeg",
            "cam",
            "http://127.0.0.1:1/intake/s/",
            launcher,
            clock,
            meters,
            new EncoderSupervisor.Listener() {
              @Override
              public void planned(LadderPlan plan) {
                plans.add(plan);
              }

              @Override
              public void anchored(int run, long epochMillis) {
                anchors.add(new long[] {run, epochMillis});
              }

              @Override
              public void failed(String reason) {
                failures.add(reason);
              }
            });
    return supervisor;
  }

  private void write(FlvTag tag) {
    budget.acquire(tag.data().length);
    supervisor.write(tag);
  }

  /**
   * A 720p source with audio: headers, then a keyframe and a second of frames from {@code fromTs}.
   */
  private void publish(long fromTs) {
    write(Flv.avcHeader("sps-1280x720-high.hex"));
    write(Flv.aacHeader());
    frames(fromTs, 30);
  }

  private void frames(long fromTs, int count) {
    for (int i = 0; i < count; i++) {
      long ts = fromTs + i * 33L;
      write(i % 60 == 0 ? Flv.keyframe(ts) : Flv.frame(ts));
      write(Flv.audio(ts));
    }
  }

  private void healthyOutput(FakeProcess p, long millis) {
    for (long t = 0; t < millis; t += 500) {
      p.consume();
      p.progress(true);
      clock.advance(500);
    }
  }

  @Test
  void probesTheSourceThenStartsTheFirstRunWithTheHeldFrames() {
    supervisor().publisherJoined(budget);
    publish(5000);

    assertEquals(1, plans.size());
    assertEquals(
        List.of("720p", "480p", "360p", "audio"),
        plans.get(0).renditions().stream().map(r -> r.name()).toList());
    assertEquals(1, launcher.count());
    List<String> args = launcher.launches.get(0).args();
    assertTrue(args.contains("http://127.0.0.1:1/intake/s/0/720p"), String.join(" ", args));
    assertEquals(EncoderSupervisor.State.RUNNING, supervisor.state());

    FakeProcess p = launcher.last();
    p.consume();
    byte[] fed = p.stdin.toByteArray();
    assertEquals('F', fed[0]);
    assertEquals(1, anchors.size());
    assertEquals(0, anchors.get(0)[0]);
    assertEquals(
        0, budget.used(), "every byte written or dropped is given back to the publisher's budget");
  }

  @Test
  void anchorsRunTimeZeroAtTheFirstKeyframeOnThePublishersClock() {
    supervisor().publisherJoined(budget);
    long joined = clock.nowMillis();
    write(Flv.avcHeader("sps-1280x720-high.hex"));
    write(Flv.aacHeader());
    write(Flv.frame(1000)); // not decodable alone: dropped from the run
    write(Flv.keyframe(1100));
    assertEquals(joined + 100, anchors.get(0)[1]);
  }

  @Test
  void endsTheStreamForAVideoCodecOtherThanH264() {
    supervisor().publisherJoined(budget);
    write(Flv.h263(0));
    assertEquals(1, failures.size());
    assertTrue(failures.get(0).contains("H.264"), failures.get(0));
    assertTrue(supervisor.stopped().succeeded());
    assertEquals(0, launcher.count());
  }

  @Test
  void endsTheStreamWhenNoVideoArrivesWithinTheStartTimeout() {
    supervisor().publisherJoined(budget);
    write(Flv.aacHeader());
    clock.advance(19_000);
    assertTrue(failures.isEmpty());
    clock.advance(1_000);
    assertEquals(1, failures.size(), failures.toString());
  }

  @Test
  void restartsACrashedRunAfterTheBackoffAndCountsTheRestart() {
    supervisor().publisherJoined(budget);
    publish(0);
    FakeProcess first = launcher.last();
    healthyOutput(first, 2000);
    first.exit(1);
    clock.advance(0);
    assertEquals(EncoderSupervisor.State.BACKOFF, supervisor.state());
    frames(3000, 10); // dropped while no FFmpeg runs
    clock.advance(499);
    assertEquals(1, launcher.count());
    clock.advance(1);
    assertEquals(2, launcher.count());
    assertTrue(launcher.launches.get(1).args().contains("http://127.0.0.1:1/intake/s/1/720p"));
    assertEquals(1.0, metrics.registry().find("headwater_encoder_restarts").counter().count());
    frames(4000, 60);
    assertEquals(
        1,
        anchors.get(anchors.size() - 1)[0],
        "the restarted run is anchored at its first keyframe");
  }

  @Test
  void backoffDoublesUpToTheMaximum() {
    supervisor().publisherJoined(budget);
    publish(0);
    long[] expected = {500, 1000, 2000, 4000, 8000, 10000, 10000};
    for (long delay : expected) {
      launcher.last().exit(1);
      clock.advance(0);
      clock.advance(delay - 1);
      int before = launcher.count();
      clock.advance(1);
      assertEquals(before + 1, launcher.count(), "restart after " + delay + " ms");
    }
  }

  @Test
  void givesUpAfterMaxRestartsQuickFailuresInARow() {
    config = withFfmpeg(2, 60);
    supervisor().publisherJoined(budget);
    publish(0);
    for (int i = 0; i < 3; i++) {
      launcher.last().exit(1);
      clock.advance(20_000);
    }
    assertEquals(3, launcher.count());
    assertEquals(1, failures.size());
    assertTrue(supervisor.stopped().succeeded());
  }

  @Test
  void aHealthyRunResetsTheRestartBudget() {
    config = withFfmpeg(2, 60);
    supervisor().publisherJoined(budget);
    publish(0);
    for (int week = 0; week < 5; week++) {
      FakeProcess p = launcher.last();
      healthyOutput(p, 61_000);
      p.exit(1);
      clock.advance(1000);
    }
    assertTrue(
        failures.isEmpty(),
        "five crashes spread over healthy runs must not end the stream: " + failures);
    assertEquals(6, launcher.count());
  }

  @Test
  void killsARunThatStopsReadingItsInput() {
    supervisor().publisherJoined(budget);
    publish(0);
    FakeProcess p = launcher.last();
    healthyOutput(p, 1000);
    frames(1000, 30); // queued, never read: the publisher would be paused by backpressure now
    clock.advance(9_000);
    assertFalse(p.killed);
    clock.advance(1_500);
    assertTrue(p.killed, "queued input and no output for the stall timeout");
    clock.advance(500);
    assertEquals(2, launcher.count());
  }

  @Test
  void killsARunThatReadsButProducesNothingWhileFed() {
    supervisor().publisherJoined(budget);
    publish(0);
    FakeProcess p = launcher.last();
    healthyOutput(p, 1000);
    for (int s = 0; s < 11; s++) {
      frames(1000 + s * 1000L, 30);
      p.consume();
      p.progress(false);
      clock.advance(1000);
    }
    assertTrue(p.killed);
  }

  @Test
  void anIdlePublisherIsNoStall() {
    supervisor().publisherJoined(budget);
    publish(0);
    FakeProcess p = launcher.last();
    healthyOutput(p, 2000);
    for (int s = 0; s < 60; s++) {
      p.progress(false);
      clock.advance(1000);
    }
    assertFalse(p.killed);
    assertEquals(1, launcher.count());
  }

  @Test
  void stopDuringBackoffCancelsTheRestartAtOnce() {
    supervisor().publisherJoined(budget);
    publish(0);
    launcher.last().exit(1);
    clock.advance(0);
    assertEquals(EncoderSupervisor.State.BACKOFF, supervisor.state());
    supervisor.stop();
    assertTrue(
        supervisor.stopped().succeeded(), "no FFmpeg alive and no restart pending: stopped now");
    clock.advance(60_000);
    assertEquals(1, launcher.count());
    assertEquals(0, clock.pending());
  }

  @Test
  void stopDrainsTheRunAndKillsItIfItDoesNotExit() {
    supervisor().publisherJoined(budget);
    publish(0);
    FakeProcess p = launcher.last();
    supervisor.stop();
    assertTrue(p.inputClosed);
    assertFalse(supervisor.stopped().isComplete());
    clock.advance(4_999);
    assertFalse(p.killed);
    clock.advance(1);
    assertTrue(p.killed);
    assertTrue(supervisor.stopped().succeeded());
  }

  @Test
  void aReconnectingPublisherGetsANewRunOnlyAfterTheOldOneExited() {
    supervisor().publisherJoined(budget);
    publish(0);
    FakeProcess first = launcher.last();
    supervisor.publisherLeft();
    assertTrue(first.inputClosed);
    assertEquals(EncoderSupervisor.State.IDLE, supervisor.state());

    ByteBudget second = new ByteBudget(1 << 20);
    supervisor.publisherJoined(second);
    write2(second, Flv.avcHeader("sps-640x360-main.hex"));
    write2(second, Flv.aacHeader());
    write2(second, Flv.keyframe(0));
    assertEquals(EncoderSupervisor.State.LAUNCHING, supervisor.state());
    assertEquals(1, launcher.count(), "two FFmpeg must never post the same rendition");
    first.exit(0);
    clock.advance(0);
    assertEquals(2, launcher.count());
    assertEquals(
        List.of("360p", "audio"),
        plans.get(1).renditions().stream().map(r -> r.name()).toList(),
        "the ladder is planned again for the new source");
    launcher.last().consume();
    assertEquals(0, second.used());
    assertEquals(0, budget.used());
  }

  @Test
  void aRunThatCannotStartIsRetriedLikeACrash() {
    launcher.failNext = true;
    supervisor().publisherJoined(budget);
    publish(0);
    assertEquals(EncoderSupervisor.State.BACKOFF, supervisor.state());
    clock.advance(500);
    assertEquals(EncoderSupervisor.State.RUNNING, supervisor.state());
  }

  @Test
  void framesAfterThePublisherLeftAreDroppedAndReleased() {
    supervisor().publisherJoined(budget);
    publish(0);
    supervisor.publisherLeft();
    frames(2000, 5);
    launcher.last().exit(0);
    clock.advance(0);
    assertEquals(0, budget.used());
  }

  private void write2(ByteBudget b, FlvTag tag) {
    b.acquire(tag.data().length);
    supervisor.write(tag);
  }

  private static HeadwaterConfig withFfmpeg(int maxRestarts, double healthyRunSeconds) {
    return ConfigLoader.fromJson(
        new JsonObject()
            .put(
                "ffmpeg",
                new JsonObject()
                    .put("maxRestarts", maxRestarts)
                    .put("healthyRunSeconds", healthyRunSeconds)),
        Map.of());
  }
}
