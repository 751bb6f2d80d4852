package dev.headwater.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real publisher process (FFmpeg or GStreamer) pushing a test pattern over RTMP; its log goes to
 * a temp file.
 */
final class Publisher implements AutoCloseable {
  final Process process;
  final Path log;

  private Publisher(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** FFmpeg: testsrc2 + sine, x264 ultrafast zerolatency, AAC, FLV over RTMP, in real time. */
  static Publisher ffmpeg(String ffmpeg, String url, int width, int height, double seconds)
      throws IOException {
    List<String> a =
        new ArrayList<>(
            List.of(
                ffmpeg,
                "-hide_banner",
                "-nostdin",
                "-loglevel",
                "warning",
                "-re",
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=" + width + "x" + height + ":rate=30",
                "-re",
                "-f",
                "lavfi",
                "-i",
                "sine=frequency=440:sample_rate=48000"));
    if (seconds > 0) {
      a.addAll(List.of("-t", Double.toString(seconds)));
    }
    a.addAll(
        List.of(
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-tune",
            "zerolatency",
            "-pix_fmt",
            "yuv420p",
            "-g",
            "30",
            "-b:v",
            "1000k",
            "-c:a",
            "aac",
            "-b:a",
            "96k",
            "-f",
            "flv",
            url));
    return start(a);
  }

  static Publisher start(List<String> args) throws IOException {
    Path log = Files.createTempFile("publisher", ".log");
    Process p =
        new ProcessBuilder(args).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new Publisher(p, log);
  }

  String log() throws IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }

  boolean waitExit(long seconds) throws InterruptedException {
    return process.waitFor(seconds, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
    Files.deleteIfExists(log);
  }
}
