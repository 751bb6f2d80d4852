package dev.headwater.media;

import static dev.headwater.media.TestBytes.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class BytesTest {

  /** 0x00..0x0b in three layouts: one array, three arrays, and slices of one larger array. */
  static final byte[] TWELVE =
      bytes(
          0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, // first eight
          0x08, 0x09, 0x0a, 0x0b);

  static Bytes oneRange() {
    return Bytes.wrap(TWELVE.clone());
  }

  static Bytes threeArrays() {
    return Bytes.concat(
        Bytes.wrap(bytes(0x00, 0x01, 0x02)),
        Bytes.wrap(bytes(0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09)),
        Bytes.wrap(bytes(0x0a, 0x0b)));
  }

  static Bytes slicesOfPaddedArrays() {
    byte[] a = bytes(0xff, 0xff, 0x00, 0x01, 0x02, 0x03, 0x04, 0xff); // 0..4 at offset 2
    byte[] b = bytes(0xee, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b); // 5..b at offset 1
    return Bytes.concat(Bytes.wrap(a, 2, 5), Bytes.wrap(b).slice(1, 7));
  }

  @Test
  void equalContentIsEqualWhateverTheLayout() {
    List<Bytes> layouts = List.of(oneRange(), threeArrays(), slicesOfPaddedArrays());
    for (Bytes x : layouts) {
      for (Bytes y : layouts) {
        assertEquals(x, y);
        assertEquals(x.hashCode(), y.hashCode());
        assertEquals(x.toString(), y.toString());
      }
      assertArrayEquals(TWELVE, x.toArray());
      assertEquals(Arrays.hashCode(TWELVE), x.hashCode());
    }
    assertEquals(1, oneRange().rangeCount());
    assertEquals(3, threeArrays().rangeCount());
    assertEquals(2, slicesOfPaddedArrays().rangeCount());
  }

  @Test
  void differentContentOrLengthIsNotEqual() {
    byte[] changedLast = TWELVE.clone();
    changedLast[11] = 0x0c;
    assertNotEquals(threeArrays(), Bytes.wrap(changedLast));
    assertNotEquals(threeArrays(), threeArrays().slice(0, 11));
    assertNotEquals(threeArrays(), Bytes.EMPTY);
    assertNotEquals(threeArrays(), TWELVE);
  }

  @Test
  void getReadsAcrossRanges() {
    for (Bytes b : List.of(oneRange(), threeArrays(), slicesOfPaddedArrays())) {
      for (int i = 0; i < 12; i++) {
        assertEquals(i, b.get(i));
        assertEquals(i, b.u8(i));
      }
      assertThrows(IndexOutOfBoundsException.class, () -> b.get(12));
      assertThrows(IndexOutOfBoundsException.class, () -> b.get(-1));
    }
    assertEquals(0xff, Bytes.wrap(bytes(0xff)).u8(0));
  }

  @Test
  void slicesShareRangesAndCutInsideThem() {
    Bytes b = threeArrays();
    // 0x02 | 0x03..0x09 | 0x0a: the first and last range are cut.
    Bytes middle = b.slice(2, 9);
    assertArrayEquals(
        bytes(0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a), middle.toArray());
    assertEquals(3, middle.rangeCount());
    // Inside one range: one range.
    assertArrayEquals(bytes(0x04, 0x05), b.slice(4, 2).toArray());
    assertEquals(1, b.slice(4, 2).rangeCount());
    // Exactly one whole range in the middle.
    assertArrayEquals(bytes(0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09), b.slice(3, 7).toArray());
    assertEquals(1, b.slice(3, 7).rangeCount());
    // Slices of slices.
    assertArrayEquals(bytes(0x05, 0x06), middle.slice(3, 2).toArray());
    assertSame(b, b.slice(0, 12));
    assertSame(Bytes.EMPTY, b.slice(5, 0));
    assertThrows(IndexOutOfBoundsException.class, () -> b.slice(10, 3));
    assertThrows(IndexOutOfBoundsException.class, () -> b.slice(-1, 2));
  }

  @Test
  void concatShareArraysAndMergesContiguousRanges() {
    byte[] array = TWELVE.clone();
    Bytes whole = Bytes.wrap(array);
    Bytes rejoined = Bytes.concat(whole.slice(0, 5), whole.slice(5, 4), whole.slice(9, 3));
    assertEquals(whole, rejoined);
    assertEquals(1, rejoined.rangeCount(), "slices that continue each other in one array merge");
    Bytes gap = Bytes.concat(whole.slice(0, 5), whole.slice(6, 6));
    assertEquals(2, gap.rangeCount());
    assertEquals(11, gap.length());
    // Shared, not copied: a write to the array (which the ownership rule forbids) shows through.
    array[0] = 0x7f;
    assertEquals(0x7f, rejoined.get(0));
    assertEquals(0x7f, gap.get(0));
  }

  @Test
  void concatOfOnePartIsThatPart() {
    Bytes b = threeArrays();
    assertSame(b, Bytes.concat(Bytes.EMPTY, b, Bytes.EMPTY));
    assertSame(Bytes.EMPTY, Bytes.concat());
    assertSame(Bytes.EMPTY, Bytes.concat(Bytes.EMPTY, Bytes.wrap(new byte[0])));
  }

  @Test
  void emptyHasNoRangesAndEqualsEveryEmpty() {
    assertEquals(0, Bytes.EMPTY.length());
    assertTrue(Bytes.EMPTY.isEmpty());
    assertEquals(0, Bytes.EMPTY.rangeCount());
    assertEquals(0, Bytes.EMPTY.asByteBuffers().length);
    assertArrayEquals(new byte[0], Bytes.EMPTY.toArray());
    assertEquals(Bytes.EMPTY, Bytes.wrap(new byte[0]));
    assertEquals(Bytes.EMPTY, Bytes.wrap(TWELVE, 3, 0));
    assertEquals(Bytes.EMPTY, threeArrays().slice(12, 0));
    assertEquals(Arrays.hashCode(new byte[0]), Bytes.EMPTY.hashCode());
    assertEquals("Bytes[0]", Bytes.EMPTY.toString());
  }

  @Test
  void byteBuffersAreReadOnlyViewsOfTheRanges() {
    ByteBuffer[] views = slicesOfPaddedArrays().asByteBuffers();
    assertEquals(2, views.length);
    assertEquals(ByteBuffer.wrap(bytes(0x00, 0x01, 0x02, 0x03, 0x04)), views[0]);
    assertEquals(ByteBuffer.wrap(bytes(0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b)), views[1]);
    for (ByteBuffer v : views) {
      assertTrue(v.isReadOnly());
      assertEquals(0, v.position());
    }
  }

  @Test
  void toArrayIsACopy() {
    Bytes b = oneRange();
    b.toArray()[0] = 0x7f;
    assertEquals(0, b.get(0));
  }

  @Test
  void toStringShowsTheLengthAndAHexHead() {
    assertEquals("Bytes[3: 00 7f ff]", Bytes.wrap(bytes(0x00, 0x7f, 0xff)).toString());
    assertEquals(
        "Bytes[40: 00 07 0e 15 1c 23 2a 31 38 3f 46 4d 54 5b 62 69 ...]",
        Bytes.wrap(TestBytes.pattern(40, 0)).toString());
  }

  @Test
  void wrapChecksItsBounds() {
    assertThrows(IndexOutOfBoundsException.class, () -> Bytes.wrap(TWELVE, 8, 5));
    assertThrows(IndexOutOfBoundsException.class, () -> Bytes.wrap(TWELVE, -1, 2));
  }

  @Test
  void copyOfDoesNotShare() {
    byte[] array = TWELVE.clone();
    Bytes b = Bytes.copyOf(array);
    array[0] = 0x7f;
    assertEquals(0, b.get(0));
  }

  /** Any array cut into any pieces: joined, sliced and read back, it is the array. */
  @Property(tries = 300)
  void piecesJoinAndSliceLikeTheArray(
      @ForAll @Size(max = 200) byte[] data,
      @ForAll @Size(max = 10) List<@IntRange(min = 0, max = 200) Integer> cuts,
      @ForAll @IntRange(min = 0, max = 200) int from,
      @ForAll @IntRange(min = 0, max = 200) int length) {
    List<Integer> points = new ArrayList<>();
    for (int c : cuts) {
      points.add(Math.min(c, data.length));
    }
    points.add(0);
    points.add(data.length);
    points.sort(null);
    List<Bytes> pieces = new ArrayList<>();
    for (int i = 1; i < points.size(); i++) {
      // Each piece in an array of its own, padded, so no two ranges merge.
      int n = points.get(i) - points.get(i - 1);
      byte[] padded = new byte[n + 2];
      System.arraycopy(data, points.get(i - 1), padded, 1, n);
      pieces.add(Bytes.wrap(padded, 1, n));
    }
    Bytes joined = Bytes.concat(pieces);
    assertEquals(data.length, joined.length());
    assertArrayEquals(data, joined.toArray());
    assertEquals(Bytes.wrap(data), joined);
    assertEquals(Arrays.hashCode(data), joined.hashCode());
    for (int i = 0; i < data.length; i++) {
      assertEquals(data[i], joined.get(i));
    }
    int f = Math.min(from, data.length);
    int n = Math.min(length, data.length - f);
    Bytes slice = joined.slice(f, n);
    assertArrayEquals(Arrays.copyOfRange(data, f, f + n), slice.toArray());
    assertEquals(Bytes.wrap(data, f, n), slice);
    int total = 0;
    for (ByteBuffer v : slice.asByteBuffers()) {
      assertTrue(v.hasRemaining(), "no empty ranges");
      total += v.remaining();
    }
    assertEquals(n, total);
  }
}
