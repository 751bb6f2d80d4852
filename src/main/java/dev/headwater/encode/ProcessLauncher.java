package dev.headwater.encode;

import io.vertx.core.Future;
import java.util.List;

/**
 * The port through which the {@link EncoderSupervisor} starts processes: {@link FfmpegLauncher} in
 * the server, a fake in tests, so supervision is tested without FFmpeg.
 */
public interface ProcessLauncher {
  /**
   * Starts a process from an argument list. The future and every {@link EncoderProcess.Events} call
   * complete on the caller's context.
   *
   * @param label names the process in logs and thread names (stream#run)
   */
  Future<EncoderProcess> launch(String label, List<String> args, EncoderProcess.Events events);
}
