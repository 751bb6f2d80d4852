package dev.headwater.media;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * An immutable sequence of bytes made of one or more ranges {@code (array, offset, length)} of byte
 * arrays. Building one from an array, {@linkplain #concat(List) concatenating} and {@linkplain
 * #slice(int, int) slicing} never copy a byte: they only arrange range descriptors. The one
 * explicit copy is {@link #toArray()}, for tests and tools. Equality, hash code and {@link
 * #toString()} depend on the content only, not on how it is laid out in ranges, so records with a
 * {@code Bytes} component get a correct {@code equals} for free.
 *
 * <p><b>Ownership rule</b>: whoever wraps an array hands it over and must never write to it
 * afterwards, nor let anyone else do so. Nothing here can enforce that (a defensive copy is exactly
 * what this type exists to avoid). It holds on the media path because {@code BoxSplitter} allocates
 * a fresh array per top-level box and forgets it once the box is complete. Readers only ever get
 * read-only views ({@link #asByteBuffers()}), so no holder of a {@code Bytes} can change it.
 *
 * <p>Media bytes on the path from FFmpeg's POST to the HTTP response are copied once by Headwater
 * (socket chunk → box array, in the splitter); every later stage (fragment, part, the Vert.x buffer
 * served to every viewer) shares those box arrays through {@code Bytes}.
 */
public final class Bytes {

  /** No bytes, no ranges. */
  public static final Bytes EMPTY = new Bytes(new byte[0][], new int[0], new int[0]);

  /** Bytes shown by {@link #toString()}. */
  private static final int TO_STRING_HEAD = 16;

  private final byte[][] arrays;
  private final int[] offsets;

  /**
   * Logical end (exclusive) of each range: range i covers [ends[i-1], ends[i]) of this sequence.
   */
  private final int[] ends;

  /** Lazily computed content hash; 0 until computed (a zero hash is recomputed, like String's). */
  private int hash;

  private Bytes(byte[][] arrays, int[] offsets, int[] ends) {
    this.arrays = arrays;
    this.offsets = offsets;
    this.ends = ends;
  }

  /** All of {@code array}, without copying it. The caller gives up the right to write to it. */
  public static Bytes wrap(byte[] array) {
    return wrap(array, 0, array.length);
  }

  /**
   * {@code array[offset, offset+length)}, without copying it. The caller gives up the right to
   * write to that range.
   */
  public static Bytes wrap(byte[] array, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, array.length);
    if (length == 0) {
      return EMPTY;
    }
    return new Bytes(new byte[][] {array}, new int[] {offset}, new int[] {length});
  }

  /** A copy of {@code array}: for tests and tools that keep writing to their array. */
  public static Bytes copyOf(byte[] array) {
    return wrap(array.clone());
  }

  /** The parts one after the other; the ranges are shared, not copied. */
  public static Bytes concat(Bytes... parts) {
    return concat(Arrays.asList(parts));
  }

  /**
   * The parts one after the other; the ranges are shared, not copied. Ranges that continue each
   * other in the same array (a sequence sliced and joined again) merge into one.
   *
   * @throws IllegalArgumentException if the total does not fit in an int
   */
  public static Bytes concat(List<Bytes> parts) {
    long total = 0;
    int ranges = 0;
    Bytes only = EMPTY;
    for (Bytes p : parts) {
      total += p.length();
      ranges += p.rangeCount();
      if (!p.isEmpty()) {
        only = p;
      }
    }
    if (total > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "concatenation of " + total + " bytes does not fit in an int");
    }
    if (only.length() == total) {
      return only;
    }
    byte[][] arrays = new byte[ranges][];
    int[] offsets = new int[ranges];
    int[] ends = new int[ranges];
    int n = 0;
    int end = 0;
    for (Bytes p : parts) {
      for (int i = 0; i < p.rangeCount(); i++) {
        int length = p.rangeLength(i);
        end += length;
        if (n > 0
            && arrays[n - 1] == p.arrays[i]
            && offsets[n - 1] + (ends[n - 1] - (n > 1 ? ends[n - 2] : 0)) == p.offsets[i]) {
          ends[n - 1] = end;
          continue;
        }
        arrays[n] = p.arrays[i];
        offsets[n] = p.offsets[i];
        ends[n] = end;
        n++;
      }
    }
    if (n < ranges) {
      arrays = Arrays.copyOf(arrays, n);
      offsets = Arrays.copyOf(offsets, n);
      ends = Arrays.copyOf(ends, n);
    }
    return new Bytes(arrays, offsets, ends);
  }

  public int length() {
    return ends.length == 0 ? 0 : ends[ends.length - 1];
  }

  public boolean isEmpty() {
    return ends.length == 0;
  }

  /**
   * The byte at {@code index}; constant time for one range, logarithmic in the range count
   * otherwise.
   */
  public byte get(int index) {
    Objects.checkIndex(index, length());
    int r = rangeOf(index);
    return arrays[r][offsets[r] + index - rangeStart(r)];
  }

  /** The byte at {@code index} as an unsigned value, 0-255. */
  public int u8(int index) {
    return get(index) & 0xFF;
  }

  /** {@code this[offset, offset+length)}, sharing the ranges. */
  public Bytes slice(int offset, int length) {
    Objects.checkFromIndexSize(offset, length, length());
    if (length == length()) {
      return this;
    }
    if (length == 0) {
      return EMPTY;
    }
    int first = rangeOf(offset);
    int last = rangeOf(offset + length - 1);
    int count = last - first + 1;
    byte[][] a = Arrays.copyOfRange(arrays, first, last + 1);
    int[] o = Arrays.copyOfRange(offsets, first, last + 1);
    int[] e = new int[count];
    o[0] += offset - rangeStart(first);
    for (int i = 0; i < count; i++) {
      e[i] = Math.min(ends[first + i], offset + length) - offset;
    }
    return new Bytes(a, o, e);
  }

  /** Number of array ranges (0 when empty); fixes nothing about the content. */
  public int rangeCount() {
    return ends.length;
  }

  /**
   * Read-only views of the ranges, in order, without copying: what the network layer wraps (a Netty
   * composite buffer over several ranges). Each call returns fresh views with their own positions.
   */
  public ByteBuffer[] asByteBuffers() {
    ByteBuffer[] out = new ByteBuffer[ends.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = ByteBuffer.wrap(arrays[i], offsets[i], rangeLength(i)).slice().asReadOnlyBuffer();
    }
    return out;
  }

  /** A new array with the content: the one copy this type makes, for tests and tools. */
  public byte[] toArray() {
    byte[] out = new byte[length()];
    for (int i = 0; i < ends.length; i++) {
      System.arraycopy(arrays[i], offsets[i], out, rangeStart(i), rangeLength(i));
    }
    return out;
  }

  /** Same content, whatever the range layouts. */
  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Bytes b) || b.length() != length()) {
      return false;
    }
    if (hash != 0 && b.hash != 0 && hash != b.hash) {
      return false;
    }
    // Walk both range lists at once, comparing the overlap of the current range of each.
    int i = 0;
    int j = 0;
    int pos = 0;
    int total = length();
    while (pos < total) {
      int n = Math.min(ends[i], b.ends[j]) - pos;
      int ai = offsets[i] + pos - rangeStart(i);
      int bj = b.offsets[j] + pos - b.rangeStart(j);
      if (!Arrays.equals(arrays[i], ai, ai + n, b.arrays[j], bj, bj + n)) {
        return false;
      }
      pos += n;
      if (pos == ends[i]) {
        i++;
      }
      if (pos == b.ends[j]) {
        j++;
      }
    }
    return true;
  }

  /** {@link Arrays#hashCode(byte[])} of the content; computed once. */
  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = 1;
      for (int r = 0; r < ends.length; r++) {
        byte[] a = arrays[r];
        for (int k = offsets[r], end = k + rangeLength(r); k < end; k++) {
          h = 31 * h + a[k];
        }
      }
      hash = h;
    }
    return h;
  }

  /**
   * The length and the first bytes in hex, e.g. {@code Bytes[1234: 00 00 00 18 73 74 79 70 ...]}.
   */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("Bytes[").append(length());
    int shown = Math.min(length(), TO_STRING_HEAD);
    if (shown > 0) {
      s.append(':');
    }
    for (int i = 0; i < shown; i++) {
      s.append(' ').append(HexFormat.of().toHexDigits(get(i)));
    }
    return s.append(shown < length() ? " ...]" : "]").toString();
  }

  private int rangeStart(int r) {
    return r == 0 ? 0 : ends[r - 1];
  }

  private int rangeLength(int r) {
    return ends[r] - rangeStart(r);
  }

  /** The range holding {@code index}, which must be in bounds. */
  private int rangeOf(int index) {
    if (ends.length == 1 || index < ends[0]) {
      return 0;
    }
    int found = Arrays.binarySearch(ends, index);
    // An exact hit is the end of range `found`, so the index opens the next range.
    return found >= 0 ? found + 1 : -found - 1;
  }
}
