package dev.headwater.media.avc;

import java.io.ByteArrayOutputStream;

/** Turns a NAL unit payload back into its raw byte sequence payload. */
final class Rbsp {

  private Rbsp() {}

  /**
   * ISO/IEC 14496-10 7.4.1: an encoder inserts emulation_prevention_three_byte after every 0x0000
   * pair that would otherwise be followed by 0x00..0x03; the bit syntax is defined on the bytes
   * without them.
   */
  static byte[] unescape(byte[] nal, int offset, int length) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(length);
    int zeros = 0;
    for (int i = offset; i < offset + length; i++) {
      int b = nal[i] & 0xFF;
      if (zeros >= 2 && b == 0x03) {
        zeros = 0;
        continue;
      }
      out.write(b);
      zeros = b == 0 ? zeros + 1 : 0;
    }
    return out.toByteArray();
  }
}
