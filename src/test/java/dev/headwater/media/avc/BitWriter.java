package dev.headwater.media.avc;

import java.io.ByteArrayOutputStream;

/** Writes the 14496-10 descriptors so that tests can build SPS units the encoder never makes. */
final class BitWriter {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private int current;
  private int bits;

  BitWriter u(int n, int value) {
    for (int i = n - 1; i >= 0; i--) {
      current = (current << 1) | ((value >>> i) & 1);
      if (++bits == 8) {
        out.write(current);
        current = 0;
        bits = 0;
      }
    }
    return this;
  }

  BitWriter ue(int value) {
    int v = value + 1;
    int length = 32 - Integer.numberOfLeadingZeros(v);
    u(length - 1, 0);
    return u(length, v);
  }

  BitWriter se(int value) {
    return ue(value > 0 ? 2 * value - 1 : -2 * value);
  }

  /** rbsp_trailing_bits, then the emulation prevention an encoder must add (7.4.1). */
  byte[] nal(int header) {
    u(1, 1);
    while (bits != 0) {
      u(1, 0);
    }
    byte[] rbsp = out.toByteArray();
    ByteArrayOutputStream nal = new ByteArrayOutputStream();
    nal.write(header);
    int zeros = 0;
    for (byte b : rbsp) {
      if (zeros >= 2 && (b & 0xFF) <= 3) {
        nal.write(3);
        zeros = 0;
      }
      nal.write(b);
      zeros = b == 0 ? zeros + 1 : 0;
    }
    return nal.toByteArray();
  }
}
