package dev.headwater.media.hls;

/**
 * A request whose Delivery Directives cannot be served; answer with {@code status} immediately.
 *
 * @param status HTTP status, 400 (§6.2.5.2 names Bad Request)
 * @param message short reason, safe to show to the client
 */
public record DirectiveError(int status, String message) implements DirectiveParse {

  public static final int BAD_REQUEST = 400;

  static DirectiveError badRequest(String message) {
    return new DirectiveError(BAD_REQUEST, message);
  }
}
