package dev.headwater.encode;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;

/**
 * Starts real FFmpeg processes: fork/exec on a worker thread, every child tracked by the {@link
 * ProcessReaper}, and the process's events moved from its I/O threads to the caller's context.
 */
public final class FfmpegLauncher implements ProcessLauncher {
  private final Vertx vertx;
  private final ProcessReaper reaper;

  public FfmpegLauncher(Vertx vertx, ProcessReaper reaper) {
    this.vertx = vertx;
    this.reaper = reaper;
  }

  @Override
  public Future<EncoderProcess> launch(
      String label, List<String> args, EncoderProcess.Events events) {
    Context context = vertx.getOrCreateContext();
    return vertx.<EncoderProcess>executeBlocking(
        () -> {
          FfmpegProcess p =
              FfmpegProcess.start(
                  label,
                  args,
                  progress -> context.runOnContext(v -> events.progress(progress)),
                  code -> context.runOnContext(v -> events.exited(code)));
          reaper.track(p.process());
          return p;
        });
  }
}
