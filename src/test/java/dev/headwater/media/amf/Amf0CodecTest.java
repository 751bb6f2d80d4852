package dev.headwater.media.amf;

import static dev.headwater.media.TestBytes.bytes;
import static dev.headwater.media.TestBytes.concat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class Amf0CodecTest {

  record Case(String name, byte[] encoded, Object decoded) {}

  /** Values whose canonical encoding is exactly these bytes: decode and encode both ways. */
  static List<Case> bothWays() {
    return List.of(
        new Case(
            "number 1.0",
            bytes(
                0x00, // marker number
                0x3F, 0xF0, 0x00, 0x00, 0x00, 0x00, 0x00, // IEEE-754 double 1.0 ...
                0x00),
            1.0), // ... last byte
        new Case(
            "number -2.5",
            bytes(
                0x00, // marker number
                0xC0, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, // double -2.5 ...
                0x00),
            -2.5),
        new Case("boolean true", bytes(0x01, 0x01), true), // marker boolean, value
        new Case("boolean false", bytes(0x01, 0x00), false), // marker boolean, value
        new Case(
            "string",
            bytes(
                0x02, 0x00, 0x04, // marker string, u16 length
                0x6C, 0x69, 0x76, 0x65),
            "live"), // "live"
        new Case(
            "utf-8 string",
            bytes(
                0x02, 0x00, 0x03, // marker string, u16 length
                0xC3, 0xA9, 0x21),
            "\u00e9!"), // "é!" in UTF-8
        new Case("empty string", bytes(0x02, 0x00, 0x00), ""), // marker string, u16 length 0
        new Case("null", bytes(0x05), Amf0.NULL), // marker null
        new Case("undefined", bytes(0x06), Amf0.UNDEFINED), // marker undefined
        new Case(
            "object",
            bytes(
                0x03, // marker object
                0x00, 0x01, 0x61, // key "a"
                0x00, 0x3F, 0xF0, 0x00, 0x00, // number 1.0 ...
                0x00, 0x00, 0x00, 0x00, // ... rest of the double
                0x00, 0x00, 0x09),
            map("a", 1.0)), // empty key, object end
        new Case(
            "nested object",
            bytes(
                0x03, // marker object
                0x00, 0x01, 0x6F, // key "o"
                0x03, // marker object
                0x00, 0x01, 0x62, // key "b"
                0x01, 0x01, // boolean true
                0x00, 0x00, 0x09, // inner object end
                0x00, 0x00, 0x09),
            map("o", map("b", true))), // outer object end
        new Case(
            "strict array",
            bytes(
                0x0A, 0x00, 0x00, 0x00, 0x03, // marker strict array, u32 count 3
                0x01, 0x00, // boolean false
                0x02, 0x00, 0x01, 0x78, // string "x"
                0x05),
            Arrays.asList(false, "x", Amf0.NULL)), // null
        new Case(
            "empty strict array",
            bytes(0x0A, 0x00, 0x00, 0x00, 0x00),
            List.of()), // marker strict array, count 0
        new Case(
            "date",
            bytes(
                0x0B, // marker date
                0x40, 0x8F, 0x40, 0x00, 0x00, 0x00, 0x00, // double 1000.0 ...
                0x00, // ... last byte
                0xFF, 0xC4),
            new Amf0Date(1000.0, -60))); // s16 timezone -60
  }

  /** Encodings our encoder never produces but publishers may send. */
  static List<Case> decodeOnly() {
    return List.of(
        new Case(
            "long string",
            bytes(
                0x0C, 0x00, 0x00, 0x00, 0x02, // marker long string, u32 length
                0x6F, 0x6B),
            "ok"), // "ok"
        new Case(
            "xml document",
            bytes(
                0x0F, 0x00, 0x00, 0x00, 0x03, // marker xml, u32 length
                0x3C, 0x61, 0x3E),
            "<a>"), // "<a>"
        new Case(
            "ECMA array",
            bytes(
                0x08, 0x00, 0x00, 0x00, 0x02, // marker ECMA array, u32 count 2
                0x00, 0x05, 0x77, 0x69, 0x64, 0x74, 0x68, // key "width"
                0x00, 0x40, 0x94, 0x00, 0x00, // number 1280.0 ...
                0x00, 0x00, 0x00, 0x00, // ... rest of the double
                0x00, 0x06, 0x73, 0x74, 0x65, 0x72, 0x65, 0x6F, // key "stereo"
                0x01, 0x01, // boolean true
                0x00, 0x00, 0x09),
            map("width", 1280.0, "stereo", true)), // object end
        new Case(
            "ECMA array without end marker",
            bytes(
                0x08, 0x00, 0x00, 0x00, 0x01, // marker ECMA array, u32 count 1
                0x00, 0x01, 0x6B, // key "k"
                0x05),
            map("k", Amf0.NULL)), // null, then the buffer ends
        new Case(
            "typed object",
            bytes(
                0x10, 0x00, 0x02, 0x43, 0x6C, // marker typed object, class "Cl"
                0x00, 0x01, 0x76, // key "v"
                0x06, // undefined
                0x00, 0x00, 0x09),
            map("v", Amf0.UNDEFINED))); // object end
  }

  record ErrorCase(String name, byte[] encoded, String messagePart) {}

  static List<ErrorCase> malformed() {
    return List.of(
        new ErrorCase("truncated number", bytes(0x00, 0x3F, 0xF0), "truncated"),
        new ErrorCase("string longer than the buffer", bytes(0x02, 0x00, 0x09, 0x61), "truncated"),
        new ErrorCase(
            "long string length beyond 2^31", bytes(0x0C, 0xFF, 0xFF, 0xFF, 0xFF), "truncated"),
        new ErrorCase("object without end", bytes(0x03, 0x00, 0x01, 0x61, 0x05), "truncated"),
        new ErrorCase(
            "strict array count beyond the buffer",
            bytes(0x0A, 0x7F, 0xFF, 0xFF, 0xFF, 0x05),
            "exceeds"),
        new ErrorCase("unknown marker", bytes(0x42), "unknown marker 0x42"),
        new ErrorCase("object end at top level", bytes(0x09), "object-end"),
        new ErrorCase("reserved movieclip", bytes(0x04), "reserved"),
        new ErrorCase("reference", bytes(0x07, 0x00, 0x00), "unsupported"),
        new ErrorCase("AMF3 switch", bytes(0x11, 0x01), "unsupported"));
  }

  static Stream<Arguments> bothWaysArgs() {
    return bothWays().stream().map(c -> Arguments.of(Named.of(c.name(), c)));
  }

  static Stream<Arguments> decodableArgs() {
    return Stream.concat(bothWays().stream(), decodeOnly().stream())
        .map(c -> Arguments.of(Named.of(c.name(), c)));
  }

  static Stream<Arguments> malformedArgs() {
    return malformed().stream().map(c -> Arguments.of(Named.of(c.name(), c)));
  }

  @ParameterizedTest
  @MethodSource("decodableArgs")
  void decodesEachTypeToItsJavaValue(Case c) {
    assertEquals(List.of(c.decoded()), values(c.encoded()));
  }

  @ParameterizedTest
  @MethodSource("bothWaysArgs")
  void encodesEachJavaValueToItsCanonicalBytes(Case c) {
    assertArrayEquals(c.encoded(), Amf0Encoder.encode(c.decoded()));
  }

  @ParameterizedTest
  @MethodSource("malformedArgs")
  void reportsMalformedInputAsErrorWithoutThrowing(ErrorCase c) {
    Amf0Result.Error e =
        assertInstanceOf(
            Amf0Result.Error.class, Amf0Decoder.decodeAll(c.encoded(), 0, c.encoded().length));
    assertTrue(e.message().contains(c.messagePart()), e.message());
  }

  @Test
  void decodesConsecutiveValuesOfAConnectCommand() {
    byte[] encoded =
        concat(
            bytes(
                0x02, 0x00, 0x07, // string, length 7
                0x63, 0x6F, 0x6E, 0x6E, 0x65, 0x63, 0x74), // "connect"
            bytes(
                0x00, 0x3F, 0xF0, 0x00, 0x00, 0x00, 0x00, // number 1.0 (transaction id) ...
                0x00, 0x00), // ... rest of the double
            bytes(
                0x03, // object
                0x00, 0x03, 0x61, 0x70, 0x70, // key "app"
                0x02, 0x00, 0x04, 0x6C, 0x69, 0x76, 0x65, // string "live"
                0x00, 0x00, 0x09)); // object end
    assertEquals(List.of("connect", 1.0, map("app", "live")), values(encoded));
  }

  @Test
  void decodesOnlyTheGivenRangeOfTheBuffer() {
    byte[] framed = bytes(0xEE, 0xEE, 0x01, 0x01, 0xEE);
    assertEquals(List.of(true), values(framed, 2, 2));
  }

  @Test
  void refusesRangesOutsideTheBuffer() {
    assertInstanceOf(Amf0Result.Error.class, Amf0Decoder.decodeAll(new byte[4], 3, 2));
    assertInstanceOf(Amf0Result.Error.class, Amf0Decoder.decodeAll(new byte[4], -1, 1));
  }

  @Test
  void refusesNestingDeeperThanTheBound() {
    byte[] nested = new byte[0];
    // Strict arrays of one element nest 40 deep.
    for (int i = 0; i < 40; i++) {
      nested = concat(bytes(0x0A, 0x00, 0x00, 0x00, 0x01), nested);
    }
    nested = concat(nested, bytes(0x05));
    Amf0Result.Error e =
        assertInstanceOf(Amf0Result.Error.class, Amf0Decoder.decodeAll(nested, 0, nested.length));
    assertTrue(e.message().contains("nesting"), e.message());
    assertInstanceOf(Amf0Result.Values.class, Amf0Decoder.decodeAll(nested, 0, nested.length, 40));
  }

  @Test
  void encodesIntegersAndLongsAsNumbers() {
    assertArrayEquals(Amf0Encoder.encode(5.0), Amf0Encoder.encode(5));
    assertArrayEquals(Amf0Encoder.encode(5.0), Amf0Encoder.encode(5L));
  }

  @Test
  void encodesJavaNullAsAmfNull() {
    assertArrayEquals(bytes(0x05), Amf0Encoder.encode((Object) null));
  }

  @Test
  void encodesEcmaArrayWhenAsked() {
    byte[] expected =
        bytes(
            0x08, 0x00, 0x00, 0x00, 0x01, // marker ECMA array, count 1
            0x00, 0x01, 0x6B, // key "k"
            0x01, 0x01, // boolean true
            0x00, 0x00, 0x09); // object end
    assertArrayEquals(expected, Amf0Encoder.encode(new Amf0EcmaArray(map("k", true))));
  }

  @Test
  void encodesStringsOver65535BytesAsLongStrings() {
    String big = "a".repeat(70_000);
    byte[] encoded = Amf0Encoder.encode(big);
    assertArrayEquals(bytes(0x0C, 0x00, 0x01, 0x11, 0x70), Arrays.copyOf(encoded, 5));
    assertEquals(List.of(big), values(encoded));
  }

  @Test
  void refusesToEncodeUnsupportedTypes() {
    assertThrows(IllegalArgumentException.class, () -> Amf0Encoder.encode(new Object()));
    assertThrows(IllegalArgumentException.class, () -> Amf0Encoder.encode(map("", 1.0)));
  }

  static List<Object> values(byte[] b) {
    return values(b, 0, b.length);
  }

  static List<Object> values(byte[] b, int offset, int length) {
    Amf0Result r = Amf0Decoder.decodeAll(b, offset, length);
    return assertInstanceOf(Amf0Result.Values.class, r, r.toString()).values();
  }

  static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }
}
