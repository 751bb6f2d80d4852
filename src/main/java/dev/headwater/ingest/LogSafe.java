package dev.headwater.ingest;

/**
 * Client-supplied text (stream names, app names, keys' surroundings) made safe to log: at most
 * {@link #MAX_CHARS} characters, control and non-ASCII characters escaped, so that a client cannot
 * forge log lines with newlines or flood the log with a megabyte-long "name".
 */
final class LogSafe {
  static final int MAX_CHARS = 80;

  private LogSafe() {}

  /** {@code text} quoted, escaped and truncated; "null" for null. */
  static String quote(String text) {
    if (text == null) {
      return "null";
    }
    StringBuilder b = new StringBuilder(Math.min(text.length(), MAX_CHARS) + 8).append('\'');
    int n = Math.min(text.length(), MAX_CHARS);
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c == '\\' || c == '\'') {
        b.append('\\').append(c);
      } else if (c >= 0x20 && c < 0x7F) {
        b.append(c);
      } else {
        b.append(String.format("\\u%04x", (int) c));
      }
    }
    b.append('\'');
    if (text.length() > n) {
      b.append("...(").append(text.length()).append(" chars)");
    }
    return b.toString();
  }
}
