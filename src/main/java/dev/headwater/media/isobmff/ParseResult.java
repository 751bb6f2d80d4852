package dev.headwater.media.isobmff;

/** A box parser's outcome: a value, or a human-readable reason it could not be produced. */
record ParseResult<T>(T value, String problem) {

  static <T> ParseResult<T> ok(T value) {
    return new ParseResult<>(value, null);
  }

  static <T> ParseResult<T> fail(String problem) {
    return new ParseResult<>(null, problem);
  }

  boolean failed() {
    return problem != null;
  }
}
