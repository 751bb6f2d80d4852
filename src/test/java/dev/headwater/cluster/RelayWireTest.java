package dev.headwater.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.headwater.media.flv.FlvTag;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class RelayWireTest {

  record Case(String name, byte[] encoded, FlvTag decoded) {}

  static final List<Case> TAGS =
      List.of(
          new Case(
              "video keyframe header",
              bytes(
                  0x09, // tag type: video
                  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // timestamp (int64) ...
                  0x28, // ... 40 ms
                  0x17, 0x01, 0x00, 0x00, 0x00), // body: AVC keyframe, NALU, cts 0
              new FlvTag(FlvTag.VIDEO, 40, bytes(0x17, 0x01, 0x00, 0x00, 0x00))),
          new Case(
              "audio past 32 bits of milliseconds",
              bytes(
                  0x08, // tag type: audio
                  0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, // timestamp (int64) ...
                  0x05, // ... 2^32 + 5 ms
                  0xaf, 0x01), // body: AAC raw
              new FlvTag(FlvTag.AUDIO, (1L << 32) + 5, bytes(0xaf, 0x01))),
          new Case(
              "script data, empty body",
              bytes(
                  0x12, // tag type: script data
                  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // timestamp (int64) ...
                  0x00), // ... 0 ms; no body
              new FlvTag(FlvTag.SCRIPT_DATA, 0, new byte[0])));

  @Test
  void decodesTags() {
    for (Case c : TAGS) {
      assertEquals(c.decoded(), RelayWire.decodeTag(Buffer.buffer(c.encoded())), c.name());
    }
  }

  @Test
  void encodesTags() {
    for (Case c : TAGS) {
      assertArrayEquals(c.encoded(), RelayWire.encodeTag(c.decoded()).getBytes(), c.name());
      assertEquals(c.encoded().length, RelayWire.wireSize(c.decoded()), c.name());
    }
  }

  @Test
  void rejectsBuffersThatAreNotTags() {
    assertNull(RelayWire.decodeTag(null), "null");
    assertNull(RelayWire.decodeTag(Buffer.buffer()), "empty");
    assertNull(
        RelayWire.decodeTag(Buffer.buffer(bytes(0x09, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00))),
        "a timestamp one byte short");
    assertNull(
        RelayWire.decodeTag(
            Buffer.buffer(
                bytes(
                    0x0a, // tag type 10: not audio, video or script data
                    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00))),
        "unknown tag type");
    assertNull(
        RelayWire.decodeTag(
            Buffer.buffer(
                bytes(
                    0x08, // audio
                    0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00))), // negative timestamp
        "negative timestamp");
  }

  /** Random bytes never throw; they decode to null or to a tag that encodes back to them. */
  @Property(tries = 500)
  void anyBytesDecodeWithoutThrowing(@ForAll @Size(max = 40) byte[] data) {
    FlvTag tag = RelayWire.decodeTag(Buffer.buffer(data));
    if (tag != null) {
      assertArrayEquals(data, RelayWire.encodeTag(tag).getBytes());
    }
  }

  @Property(tries = 300)
  void tagsSurviveTheRoundTrip(
      @ForAll @IntRange(min = 0, max = 2) int kind,
      @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long timestamp,
      @ForAll @Size(max = 300) byte[] body) {
    int type = new int[] {FlvTag.AUDIO, FlvTag.VIDEO, FlvTag.SCRIPT_DATA}[kind];
    FlvTag tag = new FlvTag(type, timestamp, body);
    assertEquals(tag, RelayWire.decodeTag(RelayWire.encodeTag(tag)));
  }

  @Test
  void metadataSurvivesTheWireAsAmfValues() {
    Map<String, Object> nested = new LinkedHashMap<>();
    nested.put("profile", "main");
    nested.put("level", 31.0);
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("width", 1280.0);
    values.put("height", 720.0);
    values.put("framerate", 29.97);
    values.put("videocodecid", 7.0);
    values.put("encoder", "Lavf61.7.100");
    values.put("stereo", true);
    values.put("avc", nested);
    values.put("keyframes", List.of(0.0, 2.0, "x"));

    Map<String, Object> back = wire(values);

    assertEquals(values, back);
  }

  @Test
  void metadataDropsValuesJsonCannotHold() {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("width", 640.0);
    values.put("nothing", null);
    values.put("notANumber", Double.NaN);
    values.put("infinite", Double.POSITIVE_INFINITY);
    values.put("date", new Object());
    values.put("list", java.util.Arrays.asList(1.0, null, Double.NaN, "a"));

    Map<String, Object> back = wire(values);

    assertEquals(Map.of("width", 640.0, "list", List.of(1.0, "a")), back);
  }

  @Test
  void metadataNumbersComeBackAsDoublesAndDeepNestingIsCut() {
    // A JsonObject from another writer: integers, and objects nested past the bound.
    JsonObject deep = new JsonObject().put("leaf", 1);
    for (int i = 0; i < 20; i++) {
      deep = new JsonObject().put("d", deep);
    }
    JsonObject json = new JsonObject().put("width", 640).put("big", 1L << 40).put("deep", deep);

    Map<String, Object> back = RelayWire.decodeMetadata(json);

    assertEquals(640.0, back.get("width"));
    assertEquals((double) (1L << 40), back.get("big"));
    int depth = 0;
    Object o = back.get("deep");
    while (o instanceof Map<?, ?> m) {
      depth++;
      o = m.get("d");
    }
    assertEquals(8, depth, "nesting is cut at the bound");
    assertEquals(Map.of(), RelayWire.decodeMetadata(null));
  }

  /**
   * Through the event bus's JSON codec: encoded to text and parsed back, as a remote origin does.
   */
  private static Map<String, Object> wire(Map<String, Object> values) {
    String text = RelayWire.encodeMetadata(values).encode();
    return RelayWire.decodeMetadata(new JsonObject(text));
  }

  private static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }
}
