package dev.headwater.encode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One FFmpeg child process. Three plain threads do its blocking I/O so no event loop ever waits on
 * a pipe: the stdin writer writes queued FLV bytes, one reader parses {@code -progress} from
 * stdout, one keeps the tail of stderr for error reports. The stdin queue holds only bytes the
 * publisher's {@link ByteBudget} admitted, so it is bounded by that budget.
 *
 * <p>Every thread ends with the process: its exit puts an end marker on the stdin queue, so the
 * writer never stays blocked waiting for bytes of a dead run, and what is still queued is released.
 */
final class FfmpegProcess implements EncoderProcess {
  private static final Logger LOG = LoggerFactory.getLogger(FfmpegProcess.class);
  private static final int STDERR_TAIL_LINES = 30;
  private static final Chunk END = new Chunk(new byte[0], null);

  private record Chunk(byte[] bytes, Runnable onWritten) {}

  private final Process process;
  private final String label;
  private final LinkedBlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
  private final AtomicLong queuedBytes = new AtomicLong();
  private final ArrayDeque<String> stderrTail = new ArrayDeque<>();

  private FfmpegProcess(Process process, String label) {
    this.process = process;
    this.label = label;
  }

  /**
   * Starts FFmpeg and its I/O threads. Blocking (fork/exec): call from a worker thread. The
   * callbacks run on the I/O threads; the caller moves them to its context.
   */
  static FfmpegProcess start(
      String label,
      List<String> args,
      Consumer<EncoderProgress> onProgress,
      Consumer<Integer> onExit)
      throws IOException {
    ProcessBuilder pb = new ProcessBuilder(args);
    pb.redirectInput(ProcessBuilder.Redirect.PIPE);
    FfmpegProcess run = new FfmpegProcess(pb.start(), label);
    Thread writer = new Thread(run::writeStdin, "hw-ffmpeg-stdin-" + label);
    Thread out = new Thread(() -> run.readProgress(onProgress), "hw-ffmpeg-progress-" + label);
    Thread err = new Thread(run::readStderr, "hw-ffmpeg-stderr-" + label);
    for (Thread t : List.of(writer, out, err)) {
      t.setDaemon(true);
      t.start();
    }
    run.process
        .onExit()
        .thenAccept(
            p -> {
              run.queue.add(END);
              onExit.accept(p.exitValue());
            });
    return run;
  }

  Process process() {
    return process;
  }

  @Override
  public long pid() {
    return process.pid();
  }

  @Override
  public void offer(byte[] bytes, Runnable onWritten) {
    queuedBytes.addAndGet(bytes.length);
    queue.add(new Chunk(bytes, onWritten));
  }

  @Override
  public long queuedBytes() {
    return queuedBytes.get();
  }

  @Override
  public void closeInput() {
    queue.add(END);
  }

  @Override
  public void kill() {
    process.destroyForcibly();
  }

  @Override
  public synchronized String stderrTail() {
    return String.join("\n", stderrTail);
  }

  private void writeStdin() {
    try (OutputStream stdin = process.getOutputStream()) {
      while (true) {
        Chunk next = queue.take();
        if (next == END) {
          break;
        }
        try {
          stdin.write(next.bytes());
          // Flush per tag: FFmpeg should see a frame the moment it arrives, not when a buffer
          // fills.
          stdin.flush();
        } finally {
          written(next);
        }
      }
    } catch (IOException e) {
      LOG.debug("ffmpeg[{}]: stdin closed: {}", label, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // Whatever is still queued will never reach FFmpeg: give its bytes back to the publisher's
    // budget.
    for (Chunk c; (c = queue.poll()) != null; ) {
      written(c);
    }
  }

  private void written(Chunk c) {
    queuedBytes.addAndGet(-c.bytes().length);
    if (c.onWritten() != null) {
      c.onWritten().run();
    }
  }

  private void readProgress(Consumer<EncoderProgress> onProgress) {
    ProgressParser parser = new ProgressParser();
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        EncoderProgress p = parser.line(line);
        if (p != null) {
          onProgress.accept(p);
        }
      }
    } catch (IOException e) {
      LOG.debug("ffmpeg[{}]: progress pipe closed: {}", label, e.getMessage());
    }
  }

  private void readStderr() {
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        LOG.warn("ffmpeg[{}]: {}", label, line);
        synchronized (this) {
          stderrTail.addLast(line);
          if (stderrTail.size() > STDERR_TAIL_LINES) {
            stderrTail.removeFirst();
          }
        }
      }
    } catch (IOException e) {
      LOG.debug("ffmpeg[{}]: stderr closed: {}", label, e.getMessage());
    }
  }
}
