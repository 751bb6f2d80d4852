package dev.headwater.encode;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the FFmpeg (and ffprobe) binary: the configured path, else {@code ffmpeg} on PATH, else the
 * copy bundled from Maven ({@code org.bytedeco:ffmpeg}, extracted by JavaCPP on first use).
 * Blocking: call it from a worker thread or at startup.
 */
public final class FfmpegLocator {
  private static final Logger LOG = LoggerFactory.getLogger(FfmpegLocator.class);

  private FfmpegLocator() {}

  /** The ffmpeg binary to run. */
  public static String ffmpeg(String configured) {
    return locate(configured, "ffmpeg", org.bytedeco.ffmpeg.ffmpeg.class);
  }

  /**
   * Where JavaCPP extracts the bundled FFmpeg (default: ~/.javacpp/cache). Operators put it under
   * the data directory so a read-only home does not matter. Must be called before the first
   * look-up.
   */
  public static void extractTo(Path dir) {
    if (System.getProperty("org.bytedeco.javacpp.cachedir") == null) {
      System.setProperty("org.bytedeco.javacpp.cachedir", dir.toAbsolutePath().toString());
    }
  }

  /** The ffprobe binary, found the same way (used by tests and tools). */
  public static String ffprobe(String configured) {
    return locate(configured, "ffprobe", org.bytedeco.ffmpeg.ffprobe.class);
  }

  private static String locate(String configured, String name, Class<?> bundled) {
    if (configured != null && !configured.isBlank()) {
      if (!Files.isExecutable(Path.of(configured))) {
        throw new IllegalStateException(
            "ffmpeg.path: " + configured + " is not an executable file");
      }
      return configured;
    }
    String onPath = onPath(name, System.getenv());
    if (onPath != null) {
      LOG.info("Using {} from PATH: {}", name, onPath);
      return onPath;
    }
    try {
      String path = org.bytedeco.javacpp.Loader.load(bundled);
      LOG.info("Using bundled {} (org.bytedeco:ffmpeg): {}", name, path);
      return path;
    } catch (UnsatisfiedLinkError e) {
      throw new IllegalStateException(
          "No "
              + name
              + " on PATH and the bundled one cannot run here ("
              + e.getMessage()
              + "). Install ffmpeg, or the libraries it needs (Debian: apt-get install libpulse0 libva2 libva-drm2).",
          e);
    }
  }

  static String onPath(String name, Map<String, String> env) {
    String path = env.getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
        return candidate.toString();
      }
    }
    return null;
  }
}
