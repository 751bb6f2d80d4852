package dev.headwater.media.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HlsFormatTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "2, 2.000",
    "0.2, 0.200",
    "0.192, 0.192",
    "0.1925, 0.193",
    "0.19249, 0.192",
    "6.0000001, 6.000",
    "0, 0.000",
    "12, 12.000"
  })
  void writesSecondsWithThreeDecimalsRoundedHalfUp(double seconds, String expected) {
    assertEquals(expected, HlsFormat.seconds(seconds));
  }

  @Test
  void writesProgramDateTimeInUtcWithMilliseconds() {
    assertEquals(
        "2026-11-24T07:00:00.000Z", HlsFormat.dateTime(Instant.parse("2026-11-24T07:00:00Z")));
    assertEquals(
        "2026-11-24T07:00:00.123Z",
        HlsFormat.dateTime(Instant.parse("2026-11-24T08:00:00.123999+01:00")));
  }

  @Test
  void rejectsValuesThatAreNotWritable() {
    assertThrows(IllegalArgumentException.class, () -> HlsFormat.seconds(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> HlsFormat.seconds(-0.5));
    assertThrows(IllegalArgumentException.class, () -> HlsFormat.seconds(Double.POSITIVE_INFINITY));
  }
}
