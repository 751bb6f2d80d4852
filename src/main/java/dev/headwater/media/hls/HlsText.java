package dev.headwater.media.hls;

/**
 * Checks on strings that end up inside playlist lines.
 *
 * <p>A quoted-string may not contain a double quote, CR or LF (§4.2), and a URI line may not start
 * with {@code #} or it would be read as a tag or comment (§4.1). Rejecting such values when the
 * model is built means the writers never need to escape anything.
 */
final class HlsText {

  private HlsText() {}

  static String quotable(String value, String what) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException(what + " is required");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\r' || c == '\n') {
        throw new IllegalArgumentException(
            what + " cannot be written as a quoted-string: " + value);
      }
    }
    return value;
  }

  static String uriLine(String value, String what) {
    quotable(value, what);
    if (value.startsWith("#") || !value.strip().equals(value)) {
      throw new IllegalArgumentException(what + " cannot be written as a URI line: " + value);
    }
    return value;
  }

  static double nonNegative(double value, String what) {
    if (!Double.isFinite(value) || value < 0) {
      throw new IllegalArgumentException(what + " must be a finite number >= 0, was " + value);
    }
    return value;
  }
}
