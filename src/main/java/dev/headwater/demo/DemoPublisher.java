package dev.headwater.demo;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in test-pattern publisher: FFmpeg's {@code testsrc2} and a sine tone, pushed over RTMP
 * to this server, like any external publisher. It burns a machine-readable clock into the picture
 * (see {@link BurnedInClock}) so players can measure glass-to-glass latency. Restarted if it dies.
 */
public final class DemoPublisher {
  private static final Logger LOG = LoggerFactory.getLogger(DemoPublisher.class);

  private final Vertx vertx;
  private final List<String> args;
  private volatile Process process;
  private volatile boolean stopped;

  public DemoPublisher(
      Vertx vertx, String ffmpeg, String rtmpUrl, int width, int height, int bitrateKbps) {
    this.vertx = vertx;
    this.args = command(ffmpeg, rtmpUrl, width, height, bitrateKbps);
  }

  /**
   * The FFmpeg arguments: a 30 fps test pattern with the burned-in clock, x264 + AAC, FLV over
   * RTMP.
   */
  public static List<String> command(
      String ffmpeg, String rtmpUrl, int width, int height, int bitrateKbps) {
    List<String> a = new ArrayList<>();
    a.add(ffmpeg);
    a.addAll(List.of("-hide_banner", "-nostdin", "-loglevel", "warning"));
    a.addAll(
        List.of(
            "-re",
            "-f",
            "lavfi",
            "-i",
            String.format(Locale.ROOT, "testsrc2=size=%dx%d:rate=30", width, height)));
    a.addAll(List.of("-re", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000"));
    a.addAll(List.of("-filter_complex", "[0:v]" + BurnedInClock.filter(width, height) + "[v]"));
    a.addAll(List.of("-map", "[v]", "-map", "1:a"));
    a.addAll(
        List.of(
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-tune",
            "zerolatency",
            "-pix_fmt",
            "yuv420p"));
    a.addAll(
        List.of(
            "-g",
            "30",
            "-b:v",
            bitrateKbps + "k",
            "-maxrate",
            bitrateKbps + "k",
            "-bufsize",
            bitrateKbps + "k"));
    a.addAll(List.of("-c:a", "aac", "-b:a", "128k", "-ar", "48000", "-ac", "2"));
    a.addAll(List.of("-f", "flv", "-flvflags", "no_duration_filesize", rtmpUrl));
    return a;
  }

  public void start() {
    if (stopped) {
      return;
    }
    vertx
        .<Process>executeBlocking(
            () ->
                new ProcessBuilder(args)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start())
        .onSuccess(
            p -> {
              process = p;
              LOG.info("Demo publisher started (pid {})", p.pid());
              p.onExit()
                  .thenAccept(
                      done -> {
                        if (!stopped) {
                          LOG.warn(
                              "Demo publisher exited ({}); restarting in 2 s", done.exitValue());
                          vertx.setTimer(2000, id -> start());
                        }
                      });
            })
        .onFailure(e -> LOG.error("Demo publisher could not start: {}", e.getMessage()));
  }

  public Future<Void> stop() {
    stopped = true;
    Process p = process;
    if (p != null) {
      p.destroy();
    }
    return Future.succeededFuture();
  }
}
