package dev.headwater.media.avc;

/**
 * MSB-first bit reader with the descriptors of ISO/IEC 14496-10 7.2 (u(n), ue(v), se(v)). Reading
 * past the end or an over-long Exp-Golomb prefix throws {@link Truncated}, which the parsers in
 * this package catch and turn into an {@link AvcResult.Error}.
 */
final class BitReader {

  private final byte[] data;
  private long bitPos;

  BitReader(byte[] data) {
    this.data = data;
  }

  int u(int n) throws Truncated {
    int v = 0;
    for (int i = 0; i < n; i++) {
      v = (v << 1) | bit();
    }
    return v;
  }

  boolean flag() throws Truncated {
    return bit() == 1;
  }

  /** 9.1: Exp-Golomb; values above 2^31-2 cannot occur in a valid SPS and are refused. */
  int ue() throws Truncated {
    int leadingZeros = 0;
    while (bit() == 0) {
      leadingZeros++;
      if (leadingZeros > 30) {
        throw new Truncated("Exp-Golomb code longer than 31 bits");
      }
    }
    return (1 << leadingZeros) - 1 + u(leadingZeros);
  }

  /** 9.1.1: the signed mapping 1, -1, 2, -2, ... of ue(v). */
  int se() throws Truncated {
    int k = ue();
    return (k & 1) == 1 ? (k + 1) / 2 : -(k / 2);
  }

  private int bit() throws Truncated {
    if (bitPos >= (long) data.length * 8) {
      throw new Truncated("SPS ends after " + data.length + " bytes");
    }
    int b = (data[(int) (bitPos >>> 3)] >>> (7 - (int) (bitPos & 7))) & 1;
    bitPos++;
    return b;
  }

  /** Early exit for malformed input; never leaves the package's parse methods. */
  static final class Truncated extends Exception {
    Truncated(String message) {
      super(message, null, false, false);
    }
  }
}
