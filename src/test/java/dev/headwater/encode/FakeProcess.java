package dev.headwater.encode;

import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;

/**
 * An encoder process under the test's control: bytes offered stay queued until {@link #consume()}
 * (as if FFmpeg read its stdin), output moves only when the test reports progress, and an exit is
 * delivered on the scheduler (like the real one, which arrives later on the context).
 */
final class FakeProcess implements EncoderProcess {
  private record Chunk(byte[] bytes, Runnable onWritten) {}

  private final long pid;
  private final EncoderProcess.Events events;
  private final ManualScheduler scheduler;
  private final ArrayDeque<Chunk> queue = new ArrayDeque<>();
  final ByteArrayOutputStream stdin = new ByteArrayOutputStream();
  boolean inputClosed;
  boolean killed;
  boolean exited;
  private long outTime;

  FakeProcess(long pid, EncoderProcess.Events events, ManualScheduler scheduler) {
    this.pid = pid;
    this.events = events;
    this.scheduler = scheduler;
  }

  @Override
  public long pid() {
    return pid;
  }

  @Override
  public void offer(byte[] bytes, Runnable onWritten) {
    if (exited) {
      if (onWritten != null) {
        onWritten.run();
      }
      return;
    }
    queue.addLast(new Chunk(bytes, onWritten));
  }

  @Override
  public long queuedBytes() {
    long n = 0;
    for (Chunk c : queue) {
      n += c.bytes().length;
    }
    return n;
  }

  @Override
  public void closeInput() {
    inputClosed = true;
  }

  @Override
  public void kill() {
    killed = true;
    exit(137);
  }

  @Override
  public String stderrTail() {
    return "fake stderr";
  }

  /** FFmpeg reads everything queued. */
  void consume() {
    for (Chunk c; (c = queue.pollFirst()) != null; ) {
      stdin.writeBytes(c.bytes());
      if (c.onWritten() != null) {
        c.onWritten().run();
      }
    }
  }

  /**
   * FFmpeg reports progress; {@code moved} says whether its output advanced since the last report.
   */
  void progress(boolean moved) {
    if (moved) {
      outTime += 500_000;
    }
    events.progress(
        new EncoderProgress(outTime / 33_333, 30, 1.0, 3000, outTime * 10, outTime, false));
  }

  /**
   * The process ends (crash, or a drained exit); queued bytes are released as the real writer does.
   */
  void exit(int code) {
    if (exited) {
      return;
    }
    exited = true;
    scheduler.schedule(
        0,
        () -> {
          consume();
          events.exited(code);
        });
  }
}
