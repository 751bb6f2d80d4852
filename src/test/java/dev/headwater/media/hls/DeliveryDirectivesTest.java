package dev.headwater.media.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DeliveryDirectivesTest {

  @Test
  void parsesAbsentDirectivesAsNone() {
    assertEquals(DeliveryDirectives.NONE, DeliveryDirectives.parse(null, null, null));
  }

  @Test
  void parsesMsnPartAndSkip() {
    assertEquals(
        new DeliveryDirectives(273L, 2L, SkipRequest.YES),
        DeliveryDirectives.parse("273", "2", "YES"));
    assertEquals(
        new DeliveryDirectives(0L, 0L, SkipRequest.V2), DeliveryDirectives.parse("0", "0", "v2"));
    assertEquals(
        new DeliveryDirectives(5L, null, SkipRequest.NO),
        DeliveryDirectives.parse("5", null, null));
  }

  @Test
  void rejectsPartWithoutMsn() {
    DirectiveError error =
        assertInstanceOf(DirectiveError.class, DeliveryDirectives.parse(null, "1", null));
    assertEquals(400, error.status());
  }

  @ParameterizedTest(name = "_HLS_msn=\"{0}\" is a 400")
  @ValueSource(
      strings = {
        "",
        "-1",
        "+1",
        " 1",
        "1.0",
        "abc",
        "0x10",
        "99999999999999999999",
        "9223372036854775808"
      })
  void rejectsMsnThatIsNotADecimalInteger(String msn) {
    DirectiveError error =
        assertInstanceOf(DirectiveError.class, DeliveryDirectives.parse(msn, null, null));
    assertEquals(400, error.status());
  }

  @ParameterizedTest(name = "_HLS_part=\"{0}\" is a 400")
  @ValueSource(strings = {"", "-1", "1e3", "one"})
  void rejectsPartThatIsNotADecimalInteger(String part) {
    DirectiveError error =
        assertInstanceOf(DirectiveError.class, DeliveryDirectives.parse("10", part, null));
    assertEquals(400, error.status());
  }

  @ParameterizedTest(name = "_HLS_skip=\"{0}\" -> {1}")
  @CsvSource({"YES, YES", "v2, V2", "yes, NO", "V2, NO", "NO, NO", "v3, NO", "'', NO"})
  void ignoresUnknownSkipValues(String skip, SkipRequest expected) {
    assertEquals(
        new DeliveryDirectives(null, null, expected), DeliveryDirectives.parse(null, null, skip));
  }

  @Test
  void acceptsLargestMsn() {
    assertEquals(
        new DeliveryDirectives(Long.MAX_VALUE, null, SkipRequest.NO),
        DeliveryDirectives.parse("9223372036854775807", null, null));
  }

  /** Found by DeliveryDirectivesFuzzTest: 20 digits with a leading zero were a 400. */
  @Test
  void acceptsTwentyDigitMsnWithLeadingZeros() {
    assertEquals(
        new DeliveryDirectives(9223372033008284671L, null, SkipRequest.NO),
        DeliveryDirectives.parse("09223372033008284671", null, null));
    assertInstanceOf(
        DirectiveError.class, DeliveryDirectives.parse("009223372033008284671", null, null));
  }

  @Test
  void refusesToBuildPartWithoutMsn() {
    assertThrows(
        IllegalArgumentException.class, () -> new DeliveryDirectives(null, 1L, SkipRequest.NO));
  }
}
