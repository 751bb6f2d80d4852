package dev.headwater.media.flv;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * One FLV tag body with its type and timestamp (FLV spec E.4.1). The data is the body only (for
 * video it starts with the E.4.3.1 VIDEODATA header byte), exactly as carried by the matching RTMP
 * message. Equality compares the bytes, so decoded tags can be compared in tests.
 *
 * @param tagType 8 audio, 9 video, 18 script data
 * @param timestampMs 32-bit timestamp in milliseconds
 * @param data the tag body, not copied
 */
public record FlvTag(int tagType, long timestampMs, byte[] data) {

  public static final int AUDIO = 8;
  public static final int VIDEO = 9;
  public static final int SCRIPT_DATA = 18;

  @Override
  public boolean equals(Object o) {
    return o instanceof FlvTag t
        && t.tagType == tagType
        && t.timestampMs == timestampMs
        && Arrays.equals(t.data, data);
  }

  @Override
  public int hashCode() {
    return (tagType * 31 + Long.hashCode(timestampMs)) * 31 + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    String head = HexFormat.of().formatHex(data, 0, Math.min(data.length, 16));
    return "FlvTag[type="
        + tagType
        + ", ts="
        + timestampMs
        + ", "
        + data.length
        + " bytes: "
        + head
        + (data.length > 16 ? "...]" : "]");
  }
}
