package dev.headwater.encode;

/**
 * Parses FFmpeg's {@code -progress} key=value lines; a block ends with {@code
 * progress=continue|end}. Unknown keys and malformed values are ignored: the encoder must not die
 * of a new FFmpeg field.
 */
public final class ProgressParser {
  private long frame = -1;
  private double fps = Double.NaN;
  private double speed = Double.NaN;
  private double bitrate = Double.NaN;
  private long totalSize = -1;
  private long outTimeMicros = -1;

  /** Feeds one line; returns a complete block when the line ends one, else null. */
  public EncoderProgress line(String line) {
    int eq = line.indexOf('=');
    if (eq <= 0) {
      return null;
    }
    String key = line.substring(0, eq).trim();
    String value = line.substring(eq + 1).trim();
    switch (key) {
      case "frame" -> frame = parseLong(value);
      case "fps" -> fps = parseDouble(value);
      case "speed" ->
          speed = parseDouble(value.endsWith("x") ? value.substring(0, value.length() - 1) : value);
      case "bitrate" ->
          bitrate =
              parseDouble(
                  value.endsWith("kbits/s") ? value.substring(0, value.length() - 7) : value);
      case "total_size" -> totalSize = parseLong(value);
      case "out_time_us" -> outTimeMicros = parseLong(value);
      case "progress" -> {
        EncoderProgress p =
            new EncoderProgress(
                frame, fps, speed, bitrate, totalSize, outTimeMicros, value.equals("end"));
        return p;
      }
      default -> {
        // other keys (dup_frames, drop_frames, stream_0_0_q, ...) are not tracked
      }
    }
    return null;
  }

  private static long parseLong(String v) {
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static double parseDouble(String v) {
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }
}
