package dev.headwater.media.amf;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Encodes Java values as a sequence of AMF0 values, the inverse of {@link Amf0Decoder}. Any {@link
 * Number} is written as an AMF0 number (a double), a {@link Map} as an anonymous object, an {@link
 * Amf0EcmaArray} as an ECMA array, a {@link List} as a strict array, and Java {@code null} like
 * {@link Amf0#NULL}. The values are produced by our own code, so an unsupported type is a
 * programming error and throws {@link IllegalArgumentException}.
 */
public final class Amf0Encoder {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  private Amf0Encoder() {}

  /** Encodes the values one after the other. */
  public static byte[] encode(Object... values) {
    Amf0Encoder encoder = new Amf0Encoder();
    for (Object value : values) {
      encoder.value(value);
    }
    return encoder.out.toByteArray();
  }

  /** Encodes the values of the list one after the other (not as a strict array). */
  public static byte[] encodeAll(List<?> values) {
    return encode(values.toArray());
  }

  private void value(Object value) {
    if (value == null || value == Amf0.NULL) {
      out.write(Amf0Marker.NULL);
    } else if (value == Amf0.UNDEFINED) {
      out.write(Amf0Marker.UNDEFINED);
    } else if (value instanceof Number n) {
      out.write(Amf0Marker.NUMBER);
      u64(Double.doubleToRawLongBits(n.doubleValue()));
    } else if (value instanceof Boolean b) {
      out.write(Amf0Marker.BOOLEAN);
      out.write(b ? 1 : 0);
    } else if (value instanceof String s) {
      byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
      // AMF0 2.4 vs 2.14: the short form only holds 65535 bytes.
      if (utf8.length <= 0xFFFF) {
        out.write(Amf0Marker.STRING);
        u16(utf8.length);
      } else {
        out.write(Amf0Marker.LONG_STRING);
        u32(utf8.length);
      }
      out.writeBytes(utf8);
    } else if (value instanceof Amf0EcmaArray ecma) {
      out.write(Amf0Marker.ECMA_ARRAY);
      u32(ecma.entries().size());
      properties(ecma.entries());
    } else if (value instanceof Map<?, ?> map) {
      out.write(Amf0Marker.OBJECT);
      properties(map);
    } else if (value instanceof List<?> list) {
      out.write(Amf0Marker.STRICT_ARRAY);
      u32(list.size());
      for (Object item : list) {
        value(item);
      }
    } else if (value instanceof Amf0Date date) {
      out.write(Amf0Marker.DATE);
      u64(Double.doubleToRawLongBits(date.epochMillis()));
      u16(date.timezone() & 0xFFFF);
    } else {
      throw new IllegalArgumentException("no AMF0 encoding for " + value.getClass().getName());
    }
  }

  private void properties(Map<?, ?> map) {
    for (Map.Entry<?, ?> e : map.entrySet()) {
      byte[] key = String.valueOf(e.getKey()).getBytes(StandardCharsets.UTF_8);
      if (key.length == 0 || key.length > 0xFFFF) {
        // An empty name would read back as the object end (AMF0 2.5).
        throw new IllegalArgumentException("AMF0 property names must be 1..65535 UTF-8 bytes");
      }
      u16(key.length);
      out.writeBytes(key);
      value(e.getValue());
    }
    u16(0);
    out.write(Amf0Marker.OBJECT_END);
  }

  private void u16(int v) {
    out.write(v >>> 8);
    out.write(v);
  }

  private void u32(long v) {
    out.write((int) (v >>> 24));
    out.write((int) (v >>> 16));
    out.write((int) (v >>> 8));
    out.write((int) v);
  }

  private void u64(long v) {
    u32(v >>> 32);
    u32(v & 0xFFFFFFFFL);
  }
}
