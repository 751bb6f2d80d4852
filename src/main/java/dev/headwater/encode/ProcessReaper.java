package dev.headwater.encode;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Tracks every FFmpeg child so none outlives the server: on JVM shutdown each is asked to stop and
 * then killed. (If the JVM dies without running hooks, FFmpeg still exits: its stdin pipe closes.)
 */
public final class ProcessReaper {
  private final Set<Process> processes = ConcurrentHashMap.newKeySet();

  public ProcessReaper() {
    Runtime.getRuntime().addShutdownHook(new Thread(this::killAll, "hw-process-reaper"));
  }

  public void track(Process p) {
    processes.add(p);
    p.onExit().thenRun(() -> processes.remove(p));
  }

  /** The FFmpeg children alive now (for tests and the admin view). */
  public java.util.List<Process> processes() {
    return java.util.List.copyOf(processes);
  }

  public int alive() {
    return processes.size();
  }

  public void killAll() {
    for (Process p : processes) {
      p.destroy();
    }
    for (Process p : processes) {
      try {
        if (!p.waitFor(2, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
      }
    }
  }
}
