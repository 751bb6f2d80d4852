package dev.headwater.media;

import java.util.ArrayList;
import java.util.List;

/**
 * How the fuzz harnesses cut their input into pushes, so that the fuzzer also explores read
 * boundaries. A control byte picks the mode (bits 0-1) and a seed (bits 4-7); the same control byte
 * and length always give the same cuts, so a finding replays exactly.
 */
public final class FuzzSplits {

  /** Mode 0: everything in one push. */
  public static final int WHOLE = 0;

  /** Mode 1: one byte per push, the worst case for every partial-read branch. */
  public static final int SINGLE_BYTES = 1;

  /** Mode 2: pushes of 1 to 16 bytes, which split headers. */
  public static final int SMALL = 2;

  /** Mode 3: pushes of 1 to 4096 bytes, like socket reads. */
  public static final int SOCKET_LIKE = 3;

  private FuzzSplits() {}

  /** The push sizes for {@code length} bytes; they are all positive and add up to length. */
  public static List<Integer> pieces(int control, int length) {
    int mode = control & 3;
    List<Integer> out = new ArrayList<>();
    if (mode == WHOLE) {
      if (length > 0) {
        out.add(length);
      }
      return out;
    }
    long x = 0x9E3779B97F4A7C15L ^ ((long) (control >>> 4) << 32) ^ length;
    int max = mode == SINGLE_BYTES ? 1 : mode == SMALL ? 16 : 4096;
    for (int left = length; left > 0; ) {
      x ^= x << 13;
      x ^= x >>> 7;
      x ^= x << 17;
      int n = Math.min(left, 1 + (int) Long.remainderUnsigned(x, max));
      out.add(n);
      left -= n;
    }
    return out;
  }
}
