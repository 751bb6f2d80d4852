package dev.headwater.media.amf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.Size;

class Amf0PropertiesTest {

  @Property(tries = 2000)
  void decodingArbitraryBytesNeverThrows(@ForAll @Size(max = 64) byte[] bytes) {
    assertNotNull(Amf0Decoder.decodeAll(bytes, 0, bytes.length));
  }

  @Property(tries = 1000)
  void decodingCorruptedEncodingsNeverThrows(
      @ForAll("values") Object value, @ForAll int position, @ForAll byte replacement) {
    byte[] encoded = Amf0Encoder.encode(value);
    encoded[Math.floorMod(position, encoded.length)] = replacement;
    assertNotNull(Amf0Decoder.decodeAll(encoded, 0, encoded.length));
  }

  @Property(tries = 1000)
  void decodingAnEncodedValueGivesItBack(@ForAll("values") Object value) {
    byte[] encoded = Amf0Encoder.encode(value);
    Amf0Result r = Amf0Decoder.decodeAll(encoded, 0, encoded.length);
    assertEquals(new Amf0Result.Values(List.of(value)), r);
  }

  @Provide
  Arbitrary<Object> values() {
    return value(3);
  }

  private Arbitrary<Object> value(int depth) {
    Arbitrary<Object> leaf =
        Arbitraries.oneOf(
            Arbitraries.doubles().map(Object.class::cast),
            Arbitraries.of(Double.NaN, -0.0, Double.MAX_VALUE).map(Object.class::cast),
            Arbitraries.of(true, false).map(Object.class::cast),
            text().map(Object.class::cast),
            Arbitraries.of(Amf0.NULL, Amf0.UNDEFINED).map(Object.class::cast),
            Arbitraries.doubles().map(d -> (Object) new Amf0Date(d, 0)));
    if (depth == 0) {
      return leaf;
    }
    Arbitrary<Object> map =
        Arbitraries.maps(text().ofMinLength(1), value(depth - 1))
            .ofMaxSize(4)
            .map(Object.class::cast);
    Arbitrary<Object> list = value(depth - 1).list().ofMaxSize(4).map(Object.class::cast);
    return Arbitraries.frequencyOf(Tuple.of(4, leaf), Tuple.of(1, map), Tuple.of(1, list));
  }

  private static net.jqwik.api.arbitraries.StringArbitrary text() {
    // Lone surrogates cannot survive UTF-8, so stay in the basic multilingual plane below them.
    return Arbitraries.strings().withCharRange('\u0000', '\ud7ff').ofMaxLength(12);
  }
}
