package dev.headwater.encode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One FFmpeg process. Three plain threads do its blocking I/O so no event loop ever waits on a pipe:
 * the stdin pump writes queued FLV bytes, one reader parses {@code -progress} from stdout, one keeps the
 * tail of stderr for error reports. The byte queue is bounded by the caller through {@link #queuedBytes()}.
 */
final class EncoderRun {
  private static final Logger LOG = LoggerFactory.getLogger(EncoderRun.class);
  private static final byte[] EOF = new byte[0];
  private static final int STDERR_TAIL_LINES = 30;

  final int number;
  private final Process process;
  private final LinkedBlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
  private final AtomicLong queuedBytes = new AtomicLong();
  private final ArrayDeque<String> stderrTail = new ArrayDeque<>();
  private final CompletableFuture<Integer> exit = new CompletableFuture<>();

  private EncoderRun(int number, Process process) {
    this.number = number;
    this.process = process;
  }

  /** Starts FFmpeg (blocking: call from a worker) and its I/O threads. */
  static EncoderRun start(
      int number, List<String> args, String streamName, Consumer<EncoderProgress> onProgress, Runnable onDrained, long lowWater)
      throws IOException {
    ProcessBuilder pb = new ProcessBuilder(args);
    pb.redirectInput(ProcessBuilder.Redirect.PIPE);
    Process p = pb.start();
    EncoderRun run = new EncoderRun(number, p);
    String tag = streamName + "#" + number;
    Thread pump = new Thread(() -> run.pump(onDrained, lowWater), "hw-ffmpeg-stdin-" + tag);
    Thread out = new Thread(() -> run.readProgress(onProgress), "hw-ffmpeg-progress-" + tag);
    Thread err = new Thread(() -> run.readStderr(tag), "hw-ffmpeg-stderr-" + tag);
    for (Thread t : List.of(pump, out, err)) {
      t.setDaemon(true);
      t.start();
    }
    p.onExit().thenAccept(done -> run.exit.complete(done.exitValue()));
    return run;
  }

  Process process() {
    return process;
  }

  long pid() {
    return process.pid();
  }

  CompletableFuture<Integer> exit() {
    return exit;
  }

  long queuedBytes() {
    return queuedBytes.get();
  }

  void offer(byte[] bytes) {
    queuedBytes.addAndGet(bytes.length);
    queue.add(bytes);
  }

  /** Ends FFmpeg's input after what is queued: FFmpeg then flushes its outputs and exits by itself. */
  void closeInput() {
    queue.add(EOF);
  }

  void kill() {
    process.destroyForcibly();
  }

  synchronized String stderrTail() {
    return String.join("\n", stderrTail);
  }

  private void pump(Runnable onDrained, long lowWater) {
    try (OutputStream stdin = process.getOutputStream()) {
      while (true) {
        byte[] next = queue.take();
        if (next == EOF) {
          break;
        }
        stdin.write(next);
        // Flush per tag: FFmpeg should see a frame the moment it arrives, not when a buffer fills.
        stdin.flush();
        long left = queuedBytes.addAndGet(-next.length);
        if (left <= lowWater && left + next.length > lowWater) {
          onDrained.run();
        }
      }
    } catch (IOException e) {
      LOG.debug("FFmpeg stdin closed: {}", e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    queue.clear();
    queuedBytes.set(0);
    onDrained.run();
  }

  private void readProgress(Consumer<EncoderProgress> onProgress) {
    ProgressParser parser = new ProgressParser();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        EncoderProgress p = parser.line(line);
        if (p != null) {
          onProgress.accept(p);
        }
      }
    } catch (IOException e) {
      LOG.debug("FFmpeg progress pipe closed: {}", e.getMessage());
    }
  }

  private void readStderr(String tag) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        LOG.warn("ffmpeg[{}]: {}", tag, line);
        synchronized (this) {
          stderrTail.addLast(line);
          if (stderrTail.size() > STDERR_TAIL_LINES) {
            stderrTail.removeFirst();
          }
        }
      }
    } catch (IOException e) {
      LOG.debug("FFmpeg stderr closed: {}", e.getMessage());
    }
  }
}
