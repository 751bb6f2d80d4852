package dev.headwater.media.amf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.headwater.media.FuzzSeeds;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes {@link Amf0Decoder}: any bytes give values or an error, never an exception; values have
 * the documented Java types and nest no deeper than the bound; and values the encoder can write
 * come back equal after encoding and decoding again.
 *
 * <p>Seeds: {@code Amf0DecoderFuzzTestInputs/decodeAll/}, written by {@link #seeds()} ({@link
 * FuzzSeeds}).
 */
class Amf0DecoderFuzzTest {

  @FuzzTest(maxDuration = "20s")
  void decodeAll(byte[] input) {
    Amf0Result result = Amf0Decoder.decodeAll(input, 0, input.length);
    if (result instanceof Amf0Result.Error e) {
      assertTrue(!e.message().isEmpty());
    } else {
      List<Object> values = ((Amf0Result.Values) result).values();
      for (Object v : values) {
        assertTrue(depth(v) <= Amf0Decoder.DEFAULT_MAX_DEPTH, "nested deeper than the bound");
      }
      if (values.stream().allMatch(Amf0DecoderFuzzTest::encodable)) {
        byte[] encoded = Amf0Encoder.encodeAll(values);
        Amf0Result again = Amf0Decoder.decodeAll(encoded, 0, encoded.length);
        assertEquals(values, assertInstanceOf(Amf0Result.Values.class, again).values());
      }
    }
    // A tighter bound must hold too, whatever the input nests.
    if (Amf0Decoder.decodeAll(input, 0, input.length, 2) instanceof Amf0Result.Values shallow) {
      shallow.values().forEach(v -> assertTrue(depth(v) <= 2, "nested deeper than 2"));
    }
  }

  /** Containers (objects, arrays) on the deepest path; checks the documented types on the way. */
  private static int depth(Object v) {
    if (v instanceof Map<?, ?> map) {
      assertInstanceOf(LinkedHashMap.class, map);
      int d = 0;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        assertInstanceOf(String.class, e.getKey());
        d = Math.max(d, depth(e.getValue()));
      }
      return d + 1;
    }
    if (v instanceof List<?> list) {
      int d = 0;
      for (Object item : list) {
        d = Math.max(d, depth(item));
      }
      return d + 1;
    }
    if (!(v instanceof Double
        || v instanceof Boolean
        || v instanceof String
        || v instanceof Amf0
        || v instanceof Amf0Date)) {
      fail("decoded to an undocumented type: " + v.getClass());
    }
    return 0;
  }

  /**
   * The encoder refuses property names that are empty or longer than 65535 UTF-8 bytes (AMF0 2.5:
   * an empty name is how an object ends). The decoder reads an empty name followed by a value as a
   * property, and a name of invalid UTF-8 grows when re-encoded, so such values cannot round-trip.
   */
  private static boolean encodable(Object v) {
    if (v instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        int n = ((String) e.getKey()).getBytes(StandardCharsets.UTF_8).length;
        if (n == 0 || n > 0xFFFF || !encodable(e.getValue())) {
          return false;
        }
      }
      return true;
    }
    if (v instanceof List<?> list) {
      return list.stream().allMatch(Amf0DecoderFuzzTest::encodable);
    }
    return true;
  }

  @Test
  void seedCorpusIsCommitted() {
    FuzzSeeds.check(Amf0DecoderFuzzTest.class, "decodeAll", seeds());
  }

  /** Seed inputs: the commands and metadata an RTMP publisher sends, and the rarer markers. */
  static Map<String, byte[]> seeds() {
    Map<String, Object> connect = new LinkedHashMap<>();
    connect.put("app", "live");
    connect.put("type", "nonprivate");
    connect.put("flashVer", "FMLE/3.0 (compatible; Lavf61.7.100)");
    connect.put("tcUrl", "rtmp://127.0.0.1:1935/live");
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("duration", 0.0);
    meta.put("width", 1280.0);
    meta.put("height", 720.0);
    meta.put("videocodecid", 7.0);
    meta.put("stereo", true);
    meta.put("encoder", "Lavf61.7.100");
    Map<String, byte[]> seeds = new LinkedHashMap<>();
    seeds.put("connect-command", Amf0Encoder.encode("connect", 1.0, connect));
    seeds.put(
        "publish-command", Amf0Encoder.encode("publish", 5.0, Amf0.NULL, "cam?key=abc", "live"));
    seeds.put(
        "set-data-frame-metadata",
        Amf0Encoder.encode("@setDataFrame", "onMetaData", new Amf0EcmaArray(meta)));
    seeds.put(
        "containers-and-dates",
        Amf0Encoder.encode(
            List.of(1.0, List.of("nested", Map.of("k", Amf0.UNDEFINED))),
            new Amf0Date(1.7e12, 0),
            Amf0.NULL));
    // Markers the encoder never writes: long string (0x0C), XML document (0x0F), typed object
    // (0x10) with class name "C" and property a = false.
    seeds.put(
        "long-string-xml-typed-object",
        new byte[] {
          0x0C, 0, 0, 0, 2, 'h', 'i', 0x0F, 0, 0, 0, 3, '<', 'a', '>', 0x10, 0, 1, 'C', 0, 1, 'a',
          0x01, 0, 0, 0, 0x09
        });
    return seeds;
  }
}
