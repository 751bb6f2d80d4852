package dev.headwater.media.amf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes a buffer holding a sequence of AMF0 values, as found in the body of an RTMP command or
 * data message. Types map to Java as: number to {@link Double}, boolean to {@link Boolean}, string,
 * long string and XML document to {@link String}, object, typed object and ECMA array to {@code
 * LinkedHashMap<String, Object>} (wire order kept), strict array to {@code List<Object>}, null and
 * undefined to {@link Amf0#NULL} and {@link Amf0#UNDEFINED}, date to {@link Amf0Date}.
 *
 * <p>The input comes from the network, so nothing here throws: truncation, unknown or unsupported
 * markers and nesting deeper than the bound all give an {@link Amf0Result.Error}. Lengths are
 * checked against the bytes actually present before anything is allocated.
 */
public final class Amf0Decoder {

  /**
   * Deep enough for any real RTMP command or metadata, shallow enough to never exhaust the stack.
   */
  public static final int DEFAULT_MAX_DEPTH = 32;

  private final byte[] bytes;
  private final int end;
  private final int maxDepth;
  private int pos;

  private Amf0Decoder(byte[] bytes, int offset, int length, int maxDepth) {
    this.bytes = bytes;
    this.pos = offset;
    this.end = offset + length;
    this.maxDepth = maxDepth;
  }

  /**
   * Decodes every value in {@code bytes[offset, offset+length)} with {@link #DEFAULT_MAX_DEPTH}.
   */
  public static Amf0Result decodeAll(byte[] bytes, int offset, int length) {
    return decodeAll(bytes, offset, length, DEFAULT_MAX_DEPTH);
  }

  /**
   * Decodes every value in the range; containers nested deeper than {@code maxDepth} are an error.
   */
  public static Amf0Result decodeAll(byte[] bytes, int offset, int length, int maxDepth) {
    if (bytes == null || offset < 0 || length < 0 || offset > bytes.length - length) {
      return new Amf0Result.Error("range [" + offset + ", +" + length + ") is outside the buffer");
    }
    Amf0Decoder decoder = new Amf0Decoder(bytes, offset, length, maxDepth);
    List<Object> values = new ArrayList<>();
    try {
      while (decoder.pos < decoder.end) {
        values.add(decoder.value(0));
      }
    } catch (Malformed e) {
      return new Amf0Result.Error(e.getMessage());
    }
    return new Amf0Result.Values(values);
  }

  private Object value(int depth) throws Malformed {
    int at = pos;
    int marker = u8();
    switch (marker) {
      case Amf0Marker.NUMBER:
        // AMF0 2.2: an IEEE-754 double in network byte order.
        return Double.longBitsToDouble(u64());
      case Amf0Marker.BOOLEAN:
        // AMF0 2.3: one byte, zero is false and anything else true.
        return u8() != 0;
      case Amf0Marker.STRING:
        // AMF0 2.4: u16 byte length then UTF-8.
        return utf8(u16());
      case Amf0Marker.OBJECT:
        // AMF0 2.5: properties until the empty name followed by object-end.
        return properties(depth + 1, -1);
      case Amf0Marker.NULL:
        return Amf0.NULL;
      case Amf0Marker.UNDEFINED:
        return Amf0.UNDEFINED;
      case Amf0Marker.ECMA_ARRAY:
        {
          // AMF0 2.10: the u32 count is only a hint; entries still end with object-end.
          long count = u32();
          return properties(depth + 1, count);
        }
      case Amf0Marker.STRICT_ARRAY:
        // AMF0 2.12: u32 count then exactly that many values.
        return strictArray(depth + 1);
      case Amf0Marker.DATE:
        {
          // AMF0 2.13: double milliseconds then s16 time zone.
          double millis = Double.longBitsToDouble(u64());
          int timezone = (short) u16();
          return new Amf0Date(millis, timezone);
        }
      case Amf0Marker.LONG_STRING:
      case Amf0Marker.XML_DOCUMENT:
        // AMF0 2.14 and 2.17: u32 byte length then UTF-8.
        return utf8(u32());
      case Amf0Marker.TYPED_OBJECT:
        {
          // AMF0 2.18: a class name then an anonymous object; RTMP users only need the fields.
          utf8(u16());
          return properties(depth + 1, -1);
        }
      case Amf0Marker.OBJECT_END:
        throw new Malformed("object-end marker outside an object at offset " + at);
      case Amf0Marker.MOVIECLIP:
      case Amf0Marker.RECORDSET:
        // AMF0 2.6 and 2.16: reserved, not supported by any reader.
        throw new Malformed(
            "reserved marker 0x" + Integer.toHexString(marker) + " at offset " + at);
      case Amf0Marker.REFERENCE:
      case Amf0Marker.UNSUPPORTED:
      case Amf0Marker.AVMPLUS_OBJECT:
        // AMF0 2.9, 2.15, 3.1: not produced by RTMP publishers; refuse rather than guess.
        throw new Malformed(
            "unsupported marker 0x" + Integer.toHexString(marker) + " at offset " + at);
      default:
        throw new Malformed("unknown marker 0x" + Integer.toHexString(marker) + " at offset " + at);
    }
  }

  private Map<String, Object> properties(int depth, long hintedCount) throws Malformed {
    checkDepth(depth);
    Map<String, Object> map = new LinkedHashMap<>();
    while (true) {
      if (hintedCount >= 0 && pos == end && map.size() >= hintedCount) {
        // Some old encoders end an ECMA array at its count without the end marker.
        return map;
      }
      String key = utf8(u16());
      if (key.isEmpty() && pos < end && (bytes[pos] & 0xFF) == Amf0Marker.OBJECT_END) {
        pos++;
        return map;
      }
      map.put(key, value(depth));
    }
  }

  private List<Object> strictArray(int depth) throws Malformed {
    checkDepth(depth);
    long count = u32();
    if (count > end - pos) {
      // Every value takes at least its marker byte, so a larger count cannot be honest.
      throw new Malformed(
          "strict array of " + count + " values exceeds the " + (end - pos) + " bytes left");
    }
    List<Object> list = new ArrayList<>((int) count);
    for (long i = 0; i < count; i++) {
      list.add(value(depth));
    }
    return list;
  }

  private void checkDepth(int depth) throws Malformed {
    if (depth > maxDepth) {
      throw new Malformed("nesting deeper than " + maxDepth + " at offset " + pos);
    }
  }

  private String utf8(long length) throws Malformed {
    need(length);
    String s = new String(bytes, pos, (int) length, StandardCharsets.UTF_8);
    pos += (int) length;
    return s;
  }

  private void need(long n) throws Malformed {
    if (n > end - pos) {
      throw new Malformed(
          "truncated: need " + n + " bytes at offset " + pos + ", have " + (end - pos));
    }
  }

  private int u8() throws Malformed {
    need(1);
    return bytes[pos++] & 0xFF;
  }

  private int u16() throws Malformed {
    need(2);
    int v = ((bytes[pos] & 0xFF) << 8) | (bytes[pos + 1] & 0xFF);
    pos += 2;
    return v;
  }

  private long u32() throws Malformed {
    need(4);
    long v =
        ((long) (bytes[pos] & 0xFF) << 24)
            | ((bytes[pos + 1] & 0xFF) << 16)
            | ((bytes[pos + 2] & 0xFF) << 8)
            | (bytes[pos + 3] & 0xFF);
    pos += 4;
    return v;
  }

  private long u64() throws Malformed {
    long hi = u32();
    long lo = u32();
    return (hi << 32) | lo;
  }

  /** Internal early exit for malformed input; never leaves {@link #decodeAll}. */
  private static final class Malformed extends Exception {
    Malformed(String message) {
      super(message, null, false, false);
    }
  }
}
