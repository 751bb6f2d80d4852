package dev.headwater.media.amf;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Asks {@link Amf0Encoder} to write an ECMA array (AMF0 2.10) rather than an anonymous object.
 * Decoding gives a plain map for both, but players expect {@code onMetaData} as an ECMA array,
 * which is why writers need a way to choose.
 *
 * @param entries the associative entries, written in iteration order
 */
public record Amf0EcmaArray(Map<String, Object> entries) {
  public Amf0EcmaArray {
    entries = new LinkedHashMap<>(entries);
  }
}
