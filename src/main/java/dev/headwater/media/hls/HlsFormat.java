package dev.headwater.media.hls;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The single place where playlist numbers and dates become text.
 *
 * <p>Every decimal-floating-point value (EXTINF, PART DURATION, PART-TARGET, hold-backs, skip
 * boundary, FRAME-RATE) is written with exactly three decimals, rounded half-up. One precision
 * everywhere keeps a part's written DURATION comparable with the written PART-TARGET: Apple players
 * reject a part whose written duration exceeds PART-TARGET, so the model validates against the
 * rounded values too ({@link #millis(double)}).
 */
public final class HlsFormat {

  /** Digits after the decimal point of every decimal-floating-point value this package writes. */
  public static final int DECIMALS = 3;

  // §4.4.4.6: YYYY-MM-DDThh:mm:ss.SSSZ; milliseconds and an explicit zone are SHOULDs we always
  // meet.
  private static final DateTimeFormatter PROGRAM_DATE_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private HlsFormat() {}

  /** Seconds as written in playlists, e.g. {@code 2.000}, {@code 0.192}. */
  public static String seconds(double seconds) {
    return rounded(seconds).toPlainString();
  }

  /** A frame rate as written in FRAME-RATE: §4.4.6.2 asks for three decimal places. */
  public static String frameRate(double framesPerSecond) {
    return rounded(framesPerSecond).toPlainString();
  }

  /**
   * The value {@link #seconds(double)} writes, in whole milliseconds, for comparisons that must
   * match the text.
   */
  public static long millis(double seconds) {
    return rounded(seconds).unscaledValue().longValueExact();
  }

  /** An EXT-X-PROGRAM-DATE-TIME value in UTC; sub-millisecond precision is truncated. */
  public static String dateTime(Instant instant) {
    return PROGRAM_DATE_TIME.format(instant);
  }

  private static BigDecimal rounded(double value) {
    if (!Double.isFinite(value) || value < 0) {
      throw new IllegalArgumentException("not a writable non-negative number: " + value);
    }
    return BigDecimal.valueOf(value).setScale(DECIMALS, RoundingMode.HALF_UP);
  }
}
