package dev.headwater.cluster;

import dev.headwater.media.flv.FlvTag;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a relayed publisher's media crosses from one origin to another on the clustered event bus
 * (Vert.x's built-in Buffer and JsonObject codecs; the in-process payload records refuse the wire).
 *
 * <p>A tag is {@code [tag type: 1 byte][timestamp ms: int64][FLV tag body]}. Decoding never throws:
 * a buffer that is not one (too short, an unknown tag type, a negative timestamp) decodes to null.
 *
 * <p>Metadata (onMetaData's AMF0 values: String, Number, Boolean, objects, strict arrays) becomes a
 * JsonObject. AMF values JSON cannot hold (null, undefined, Date, NaN and infinities) are dropped:
 * the encoder's source probe reads only numbers and strings. Numbers come back as Double, as AMF0
 * decodes every number (AMF0 spec 2.2, number-type is an IEEE-754 double).
 */
public final class RelayWire {
  /** Type byte and the 64-bit timestamp. */
  static final int TAG_HEADER = 1 + 8;

  /** AMF nesting deeper than this is dropped; onMetaData is flat in practice. */
  private static final int MAX_DEPTH = 8;

  private RelayWire() {}

  public static Buffer encodeTag(FlvTag tag) {
    return Buffer.buffer(TAG_HEADER + tag.data().length)
        .appendByte((byte) tag.tagType())
        .appendLong(tag.timestampMs())
        .appendBytes(tag.data());
  }

  /** The tag, or null when {@code b} is not one. */
  public static FlvTag decodeTag(Buffer b) {
    if (b == null || b.length() < TAG_HEADER) {
      return null;
    }
    int type = b.getUnsignedByte(0);
    // FLV spec E.4.1: TagType 8 audio, 9 video, 18 script data; nothing else is relayed.
    if (type != FlvTag.AUDIO && type != FlvTag.VIDEO && type != FlvTag.SCRIPT_DATA) {
      return null;
    }
    long timestamp = b.getLong(1);
    if (timestamp < 0) {
      return null;
    }
    return new FlvTag(type, timestamp, b.getBytes(TAG_HEADER, b.length()));
  }

  /** The bytes a tag costs on the wire, as the relay's backpressure counts them. */
  public static int wireSize(FlvTag tag) {
    return TAG_HEADER + tag.data().length;
  }

  public static JsonObject encodeMetadata(Map<String, Object> values) {
    return new JsonObject(toJsonMap(values, 0));
  }

  public static Map<String, Object> decodeMetadata(JsonObject json) {
    return fromJsonMap(json, 0);
  }

  private static Map<String, Object> toJsonMap(Map<?, ?> in, int depth) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : in.entrySet()) {
      Object v = toJson(e.getValue(), depth);
      if (e.getKey() != null && v != null) {
        out.put(e.getKey().toString(), v);
      }
    }
    return out;
  }

  /** The JSON form of one AMF value, or null for one JSON cannot hold. */
  private static Object toJson(Object v, int depth) {
    if (v instanceof String || v instanceof Boolean) {
      return v;
    }
    if (v instanceof Number n) {
      double d = n.doubleValue();
      return Double.isFinite(d) ? d : null;
    }
    if (depth >= MAX_DEPTH) {
      return null;
    }
    if (v instanceof Map<?, ?> m) {
      return new JsonObject(toJsonMap(m, depth + 1));
    }
    if (v instanceof List<?> l) {
      JsonArray a = new JsonArray();
      for (Object item : l) {
        Object j = toJson(item, depth + 1);
        if (j != null) {
          a.add(j);
        }
      }
      return a;
    }
    return null;
  }

  private static Map<String, Object> fromJsonMap(JsonObject in, int depth) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (in == null) {
      return out;
    }
    for (Map.Entry<String, Object> e : in) {
      Object v = fromJson(e.getValue(), depth);
      if (v != null) {
        out.put(e.getKey(), v);
      }
    }
    return out;
  }

  private static Object fromJson(Object v, int depth) {
    if (v instanceof String || v instanceof Boolean) {
      return v;
    }
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    if (depth >= MAX_DEPTH) {
      return null;
    }
    if (v instanceof JsonObject o) {
      return fromJsonMap(o, depth + 1);
    }
    if (v instanceof JsonArray a) {
      List<Object> out = new ArrayList<>();
      for (Object item : a) {
        Object j = fromJson(item, depth + 1);
        if (j != null) {
          out.add(j);
        }
      }
      return out;
    }
    return null;
  }
}
