package dev.headwater.media.isobmff;

/**
 * A box header as found in the bytes: the type, the declared total size (header included) and the
 * header length (8, or 16 with a 64-bit largesize).
 *
 * <p>{@code size} is the raw declaration: 0 means "extends to the end of the file" and is left for
 * the caller to accept or reject; sizes smaller than the header are also left for the caller, which
 * knows what error to report.
 */
public record BoxHeader(int type, long size, int headerSize) {

  /** Bytes of a compact header: 32-bit size and type. */
  public static final int COMPACT_SIZE = 8;

  /** Bytes of a header with a 64-bit largesize. */
  public static final int LARGE_SIZE = 16;

  /**
   * Parses the header at {@code offset}, or returns null when fewer bytes than the header needs are
   * available (8, or 16 when the size field is 1).
   */
  public static BoxHeader parse(byte[] data, int offset, int available) {
    if (available < COMPACT_SIZE) {
      return null;
    }
    long size = readU32(data, offset);
    int type = (int) readU32(data, offset + 4);
    // 14496-12 4.2 Box: "if size is 1 then the actual size is in the field largesize"
    if (size == 1) {
      if (available < LARGE_SIZE) {
        return null;
      }
      long large = readU32(data, offset + 8) << 32 | readU32(data, offset + 12);
      return new BoxHeader(type, large, LARGE_SIZE);
    }
    return new BoxHeader(type, size, COMPACT_SIZE);
  }

  /** The type as text, for messages. */
  public String typeName() {
    return FourCc.toString(type);
  }

  /** Payload bytes after the header; meaningful only when {@code size >= headerSize}. */
  public long payloadSize() {
    return size - headerSize;
  }

  private static long readU32(byte[] d, int o) {
    return (d[o] & 0xFFL) << 24
        | (d[o + 1] & 0xFFL) << 16
        | (d[o + 2] & 0xFFL) << 8
        | (d[o + 3] & 0xFFL);
  }
}
