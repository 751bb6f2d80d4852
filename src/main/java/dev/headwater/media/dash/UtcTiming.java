package dev.headwater.media.dash;

/**
 * A UTCTiming descriptor (23009-1 §5.8.4.11, schemes in §5.8.5.7): where a client reads the clock
 * the MPD's times are on.
 */
public record UtcTiming(String schemeIdUri, String value) {
  /** §5.8.5.7: an HTTP GET of {@code value} returns an ISO 8601 date-time. */
  public static final String HTTP_ISO = "urn:mpeg:dash:utc:http-iso:2014";
}
