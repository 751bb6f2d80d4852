package dev.headwater.media.dash;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The single place where MPD numbers and dates become text. Times are kept in whole milliseconds
 * (wall clock and MPD durations) or in ticks of a timescale (media times): both are integers, so a
 * value written twice is written the same.
 */
public final class DashFormat {
  // xs:dateTime in UTC with milliseconds; 23009-1 §5.3.1.2 types availabilityStartTime and
  // publishTime as xs:dateTime.
  private static final DateTimeFormatter DATE_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private DashFormat() {}

  /** An xs:duration of whole milliseconds, e.g. {@code PT2S}, {@code PT0.033S}, {@code PT95.5S}. */
  public static String duration(long millis) {
    if (millis < 0) {
      throw new IllegalArgumentException("negative duration: " + millis + " ms");
    }
    return "PT" + seconds(millis) + "S";
  }

  /** Seconds with no trailing zeros: {@code 2}, {@code 1.967}, {@code 0.5}. */
  public static String seconds(long millis) {
    long whole = millis / 1000;
    long frac = millis % 1000;
    if (frac == 0) {
      return Long.toString(whole);
    }
    String f = String.format(java.util.Locale.ROOT, "%03d", frac);
    while (f.endsWith("0")) {
      f = f.substring(0, f.length() - 1);
    }
    return whole + "." + f;
  }

  /** An xs:dateTime in UTC with milliseconds. */
  public static String dateTime(Instant instant) {
    return DATE_TIME.format(instant);
  }

  /** An xs:double as written: shortest form, no exponent for the values an MPD carries. */
  public static String decimal(double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("not a writable number: " + value);
    }
    return java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }
}
