package dev.headwater.media.dash;

/** Checks on text that ends up in MPD attributes. */
final class DashText {
  private DashText() {}

  /** An identifier written unquoted into URLs and ids: no whitespace, nothing to escape. */
  static void token(String value, String what) {
    if (value == null || value.isEmpty() || !value.matches("[A-Za-z0-9._~-]+")) {
      throw new IllegalArgumentException(what + " must be a non-empty URL-safe token: " + value);
    }
  }
}
