package dev.headwater.encode;

/**
 * One running encoder process, as the {@link EncoderSupervisor} drives it. The real one is {@link
 * FfmpegProcess}; tests use a fake. Methods may be called from the supervisor's context and never
 * block it.
 */
public interface EncoderProcess {
  long pid();

  /**
   * Queues bytes for the process's stdin. {@code onWritten} runs (on the writer's thread) once the
   * bytes were written or dropped because the process is gone; it releases the publisher's byte
   * budget.
   */
  void offer(byte[] bytes, Runnable onWritten);

  /** Bytes offered and not yet written: a process that stops reading its input shows here. */
  long queuedBytes();

  /** Ends the input after what is queued: FFmpeg then flushes its outputs and exits by itself. */
  void closeInput();

  void kill();

  /** The last lines FFmpeg printed on stderr, for the log line that reports a crash. */
  String stderrTail();

  /** What a process reports. The launcher delivers these on the supervisor's context. */
  interface Events {
    void progress(EncoderProgress progress);

    void exited(int exitCode);
  }
}
