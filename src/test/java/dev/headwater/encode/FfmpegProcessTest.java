package dev.headwater.encode;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The real process wrapper's threads, with plain Unix commands standing in for FFmpeg. */
class FfmpegProcessTest {

  private static boolean threadAlive(String name) {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().equals(name) && t.isAlive());
  }

  @Test
  void theStdinWriterOfADeadRunEndsEvenWithNothingQueued() throws Exception {
    CompletableFuture<Integer> exit = new CompletableFuture<>();
    FfmpegProcess p =
        FfmpegProcess.start("idle#0", List.of("sleep", "30"), progress -> {}, exit::complete);
    await().atMost(Duration.ofSeconds(5)).until(() -> threadAlive("hw-ffmpeg-stdin-idle#0"));
    p.kill();
    assertEquals(137, exit.get(10, TimeUnit.SECONDS));
    await().atMost(Duration.ofSeconds(5)).until(() -> !threadAlive("hw-ffmpeg-stdin-idle#0"));
  }

  @Test
  void bytesQueuedForADeadRunAreReleased() throws Exception {
    CompletableFuture<Integer> exit = new CompletableFuture<>();
    // A process that never reads its stdin: the writer blocks once the pipe is full.
    FfmpegProcess p =
        FfmpegProcess.start("stuck#0", List.of("sleep", "30"), progress -> {}, exit::complete);
    ByteBudget budget = new ByteBudget(64L << 20);
    AtomicLong released = new AtomicLong();
    byte[] chunk = new byte[64 * 1024];
    for (int i = 0; i < 32; i++) {
      budget.acquire(chunk.length);
      p.offer(
          chunk,
          () -> {
            budget.release(chunk.length);
            released.addAndGet(chunk.length);
          });
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> p.queuedBytes() < 32L * chunk.length);
    p.kill();
    exit.get(10, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(5)).until(() -> budget.used() == 0);
    assertEquals(32L * chunk.length, released.get());
    assertEquals(0, p.queuedBytes());
    await().atMost(Duration.ofSeconds(5)).until(() -> !threadAlive("hw-ffmpeg-stdin-stuck#0"));
  }

  @Test
  void progressLinesBecomeProgressReports() throws Exception {
    CompletableFuture<EncoderProgress> first = new CompletableFuture<>();
    FfmpegProcess.start(
        "talk#0",
        List.of("printf", "frame=30\\nfps=30.0\\nout_time_us=1000000\\nprogress=continue\\n"),
        first::complete,
        code -> {});
    EncoderProgress p = first.get(10, TimeUnit.SECONDS);
    assertEquals(30, p.frame());
    assertEquals(1_000_000, p.outTimeMicros());
  }
}
