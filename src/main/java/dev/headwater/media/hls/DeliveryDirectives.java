package dev.headwater.media.hls;

/**
 * The Delivery Directives of one playlist request (§6.2.5).
 *
 * @param msn {@code _HLS_msn}, or null when absent
 * @param part {@code _HLS_part}, or null when absent; never set without {@code msn}
 * @param skip {@code _HLS_skip}
 */
public record DeliveryDirectives(Long msn, Long part, SkipRequest skip) implements DirectiveParse {

  /** A request without directives. */
  public static final DeliveryDirectives NONE = new DeliveryDirectives(null, null, SkipRequest.NO);

  public DeliveryDirectives {
    if ((msn != null && msn < 0) || (part != null && part < 0)) {
      throw new IllegalArgumentException("_HLS_msn and _HLS_part must be >= 0");
    }
    if (part != null && msn == null) {
      throw new IllegalArgumentException("_HLS_part needs _HLS_msn");
    }
    skip = skip == null ? SkipRequest.NO : skip;
  }

  /** Whether the request asks for a Blocking Playlist Reload. */
  public boolean isBlocking() {
    return msn != null;
  }

  /**
   * Parses the raw query values (each null when the parameter is absent).
   *
   * <p>Decisions: {@code _HLS_msn} and {@code _HLS_part} are decimal-integers (§4.2), so anything
   * but ASCII digits (a sign, a blank, an empty value, a value beyond a Java long) is a 400. A
   * {@code _HLS_skip} other than exactly {@code YES} or {@code v2} (enumerated-strings are
   * case-sensitive) is ignored: the spec defines no error for it, and a full playlist is always a
   * correct answer, so a future {@code v3} client still plays.
   *
   * <p>This parse is context-free: it does not know whether the playlist has ENDLIST, where
   * §6.2.5.2 says the server MUST ignore {@code _HLS_msn}/{@code _HLS_part}. Malformed values are
   * still refused then; well-formed ones are ignored by {@link BlockingDecision}.
   */
  public static DirectiveParse parse(String msn, String part, String skip) {
    Long msnValue = null;
    Long partValue = null;
    if (msn != null) {
      msnValue = decimalInteger(msn);
      if (msnValue == null) {
        return DirectiveError.badRequest("_HLS_msn is not a decimal-integer");
      }
    }
    if (part != null) {
      partValue = decimalInteger(part);
      if (partValue == null) {
        return DirectiveError.badRequest("_HLS_part is not a decimal-integer");
      }
      // §6.2.5.2: an _HLS_part directive without _HLS_msn MUST be answered with Bad Request.
      if (msnValue == null) {
        return DirectiveError.badRequest("_HLS_part without _HLS_msn");
      }
    }
    return new DeliveryDirectives(msnValue, partValue, skipRequest(skip));
  }

  private static SkipRequest skipRequest(String skip) {
    if ("YES".equals(skip)) {
      return SkipRequest.YES;
    }
    if ("v2".equals(skip)) {
      return SkipRequest.V2;
    }
    return SkipRequest.NO;
  }

  private static Long decimalInteger(String text) {
    // §4.2: "A decimal-integer may be from 1 to 20 characters long." Leading zeros count, so up to
    // 20 digits may still hold a long ("0" + Long.MAX_VALUE); parseLong refuses larger values.
    if (text.isEmpty() || text.length() > 20) {
      return null;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return null;
      }
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException tooLarge) {
      return null;
    }
  }
}
