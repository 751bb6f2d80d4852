package dev.headwater.media.flv;

/** Serialises the FLV file header and tags so that RTMP media can be piped into FFmpeg as FLV. */
public final class FlvWriter {

  private static final int TAG_HEADER_SIZE = 11;

  private FlvWriter() {}

  /** The 9-byte FLV header (E.2) followed by PreviousTagSize0, which is always 0 (E.3). */
  public static byte[] header(boolean hasAudio, boolean hasVideo) {
    // FLV E.2: TypeFlagsAudio is bit 2 and TypeFlagsVideo bit 0 of the flags byte.
    int flags = (hasAudio ? 0x04 : 0) | (hasVideo ? 0x01 : 0);
    return new byte[] {'F', 'L', 'V', 0x01, (byte) flags, 0, 0, 0, 9, 0, 0, 0, 0};
  }

  /**
   * One tag: the 11-byte tag header (E.4.1), the body, and the PreviousTagSize that follows every
   * tag (E.3). Throws if the body does not fit the 24-bit DataSize field, which can only happen if
   * the caller ignored its own message-size bound.
   */
  public static byte[] tag(FlvTag t) {
    byte[] data = t.data();
    if (data.length > 0xFFFFFF) {
      throw new IllegalArgumentException(
          "FLV tag body of " + data.length + " bytes exceeds 24-bit DataSize");
    }
    byte[] out = new byte[TAG_HEADER_SIZE + data.length + 4];
    long ts = t.timestampMs();
    out[0] = (byte) (t.tagType() & 0x1F);
    put24(out, 1, data.length);
    // FLV E.4.1: Timestamp holds the lower 24 bits, TimestampExtended the upper 8.
    put24(out, 4, (int) (ts & 0xFFFFFF));
    out[7] = (byte) (ts >>> 24);
    put24(out, 8, 0);
    System.arraycopy(data, 0, out, TAG_HEADER_SIZE, data.length);
    int previousTagSize = TAG_HEADER_SIZE + data.length;
    int p = TAG_HEADER_SIZE + data.length;
    out[p] = (byte) (previousTagSize >>> 24);
    put24(out, p + 1, previousTagSize);
    return out;
  }

  private static void put24(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 16);
    b[at + 1] = (byte) (v >>> 8);
    b[at + 2] = (byte) v;
  }
}
