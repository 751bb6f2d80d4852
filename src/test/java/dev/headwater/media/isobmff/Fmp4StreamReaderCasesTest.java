package dev.headwater.media.isobmff;

import static dev.headwater.media.isobmff.HandcraftedBoxes.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headwater.media.Bytes;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** tfhd/trun flag combinations and top-level box handling on handcrafted bytes. */
class Fmp4StreamReaderCasesTest {

  static final int MAX_BOX = 4096;

  static Stream<Arguments> fragmentCases() {
    return Stream.of(
        // name, moof, mdat, tfdt, duration, sampleCount, independent
        Arguments.of(
            "durations and flags from trex", MOOF_TREX_DEFAULTS, MDAT, 90_000L, 9_000L, 3, false),
        Arguments.of(
            "durations and flags from tfhd", MOOF_TFHD_DEFAULTS, MDAT, 0L, 6_000L, 4, true),
        Arguments.of(
            "first-sample-flags, tfdt v1",
            MOOF_FIRST_SAMPLE_FLAGS_TFDT_V1,
            MDAT,
            1L << 33,
            6_000L,
            2,
            true),
        Arguments.of(
            "per-sample fields, trun v1", MOOF_PER_SAMPLE_FIELDS, MDAT, 3_000L, 4_500L, 2, false),
        Arguments.of("two truns", MOOF_TWO_TRUNS, MDAT, 48_000L, 2_560L, 3, false),
        Arguments.of(
            "largesize mdat", MOOF_TREX_DEFAULTS, MDAT_LARGESIZE, 90_000L, 9_000L, 3, false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fragmentCases")
  void fragmentTiming(
      String name,
      byte[] moof,
      byte[] mdat,
      long tfdt,
      long duration,
      int samples,
      boolean independent) {
    byte[] stream = TestBytes.concat(INIT, moof, mdat);
    for (List<Integer> chunks : List.of(List.<Integer>of(), List.of(1), List.of(7, 3, 50))) {
      TestBytes.Collected c = TestBytes.readInChunks(stream, chunks, MAX_BOX);
      assertNull(c.error(), name);
      assertEquals(2, c.items().size(), name);
      assertEquals(new InitSegment(Bytes.wrap(INIT), TRACK), c.init(), name);
      assertEquals(
          new Fragment(
              Bytes.wrap(TestBytes.concat(moof, mdat)), 7, tfdt, duration, samples, independent),
          c.items().get(1),
          name);
    }
  }

  @Test
  void stypAttachesAndSidxFreeAreDropped() {
    byte[] stream =
        TestBytes.concat(
            INIT,
            FREE,
            SIDX_STUB,
            STYP,
            FREE,
            MOOF_TREX_DEFAULTS,
            MDAT,
            FREE,
            STYP,
            MOOF_TFHD_DEFAULTS,
            MDAT);
    TestBytes.Collected c = TestBytes.readInChunks(stream, List.of(5), MAX_BOX);
    assertNull(c.error());
    List<Fragment> f = c.fragments();
    assertEquals(2, f.size());
    assertArrayEquals(TestBytes.concat(STYP, MOOF_TREX_DEFAULTS, MDAT), f.get(0).bytes().toArray());
    assertArrayEquals(TestBytes.concat(STYP, MOOF_TFHD_DEFAULTS, MDAT), f.get(1).bytes().toArray());
    // styp, moof and mdat each stay in the array they were assembled in: joined, not copied.
    assertEquals(3, f.get(0).bytes().rangeCount());
  }

  @Test
  void audioSamplesAreAlwaysSync() {
    // Same init with handler soun: trex says non-sync, but every audio frame is a sync sample.
    byte[] moov = MOOV.clone();
    int at = indexOf(moov, "vide");
    moov[at] = 's';
    moov[at + 1] = 'o';
    moov[at + 2] = 'u';
    moov[at + 3] = 'n';
    TestBytes.Collected c =
        TestBytes.readInChunks(
            TestBytes.concat(FTYP, moov, MOOF_TREX_DEFAULTS, MDAT), List.of(), MAX_BOX);
    assertNull(c.error());
    assertEquals(
        new TrackInfo(7, "soun", 90_000, "", 0, 0, 90_000, 0, 3000, 0x00010000, 0),
        c.init().track());
    assertTrue(c.fragments().get(0).independent());
  }

  static Stream<Arguments> corruptCases() {
    return Stream.of(
        // name, bytes, expected kind, expected stream offset of the bad box
        Arguments.of(
            "size 4 < header",
            TestBytes.of(
                0x00, 0x00, 0x00, 0x04, 'f', 't', 'y', 'p' // size 4, ftyp
                ),
            Fmp4Error.Kind.BOX_TOO_SMALL,
            0L),
        Arguments.of(
            "size 0 to end of file",
            TestBytes.of(
                0x00, 0x00, 0x00, 0x00, 'f', 't', 'y', 'p' // size 0, ftyp
                ),
            Fmp4Error.Kind.SIZE_TO_END_UNSUPPORTED,
            0L),
        Arguments.of(
            "box over the bound",
            TestBytes.of(
                0x00, 0x00, 0x10, 0x01, 'f', 't', 'y', 'p' // size 4097, ftyp
                ),
            Fmp4Error.Kind.BOX_TOO_LARGE,
            0L),
        Arguments.of(
            "largesize over the bound",
            TestBytes.of(
                0x00,
                0x00,
                0x00,
                0x01,
                'f',
                't',
                'y',
                'p', // size 1, ftyp
                0x80,
                0x00,
                0x00,
                0x00,
                0x00,
                0x00,
                0x00,
                0x00 // largesize 2^63
                ),
            Fmp4Error.Kind.BOX_TOO_LARGE,
            0L),
        Arguments.of(
            "largesize below 16",
            TestBytes.of(
                0x00,
                0x00,
                0x00,
                0x01,
                'f',
                't',
                'y',
                'p', // size 1, ftyp
                0x00,
                0x00,
                0x00,
                0x00,
                0x00,
                0x00,
                0x00,
                0x0C // largesize 12
                ),
            Fmp4Error.Kind.BOX_TOO_SMALL,
            0L),
        Arguments.of(
            "binary type",
            TestBytes.of(
                0x00, 0x00, 0x00, 0x08, 0x00, 0x01, 0x02, 0x03 // size 8, type not ASCII
                ),
            Fmp4Error.Kind.BAD_BOX_TYPE,
            0L),
        Arguments.of(
            "moof before moov",
            TestBytes.concat(FTYP, MOOF_TREX_DEFAULTS),
            Fmp4Error.Kind.UNEXPECTED_BOX,
            16L),
        Arguments.of(
            "mdat without moof", TestBytes.concat(INIT, MDAT), Fmp4Error.Kind.UNEXPECTED_BOX, 237L),
        Arguments.of(
            "free between moof and mdat",
            TestBytes.concat(INIT, MOOF_TREX_DEFAULTS, FREE, MDAT),
            Fmp4Error.Kind.UNEXPECTED_BOX,
            237L + 84),
        Arguments.of(
            "second moov", TestBytes.concat(INIT, MOOV), Fmp4Error.Kind.UNEXPECTED_BOX, 237L),
        Arguments.of(
            "moov without trak",
            TestBytes.concat(
                FTYP,
                TestBytes.of(
                    0x00, 0x00, 0x00, 0x08, 'm', 'o', 'o', 'v' // size 8, moov (empty)
                    )),
            Fmp4Error.Kind.MALFORMED_INIT,
            16L),
        Arguments.of(
            "tfhd of another track",
            TestBytes.concat(INIT, patch(MOOF_TREX_DEFAULTS, 47, 0x08), MDAT),
            Fmp4Error.Kind.MALFORMED_FRAGMENT,
            237L),
        Arguments.of(
            "trun sample_count beyond its box",
            TestBytes.concat(INIT, patch(patch(MOOF_TREX_DEFAULTS, 74, 0x01), 79, 0xFF), MDAT),
            Fmp4Error.Kind.MALFORMED_FRAGMENT,
            237L),
        Arguments.of(
            "traf overruns moof",
            TestBytes.concat(INIT, patch(MOOF_TREX_DEFAULTS, 27, 0x7F), MDAT),
            Fmp4Error.Kind.MALFORMED_FRAGMENT,
            237L));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corruptCases")
  void corruptInputFailsWithATypedError(
      String name, byte[] bytes, Fmp4Error.Kind kind, long offset) {
    for (List<Integer> chunks : List.of(List.<Integer>of(), List.of(1), List.of(3, 11))) {
      TestBytes.Collected c = TestBytes.readInChunks(bytes, chunks, MAX_BOX);
      assertEquals(kind, c.error() == null ? null : c.error().kind(), name);
      assertEquals(offset, c.error().streamOffset(), name);
    }
  }

  @Test
  void malformedFragmentMessagesNameTheCause() {
    assertMessage(
        TestBytes.concat(INIT, patch(MOOF_TREX_DEFAULTS, 47, 0x08), MDAT),
        "does not match the moov track");
    assertMessage(
        TestBytes.concat(INIT, patch(patch(MOOF_TREX_DEFAULTS, 74, 0x01), 79, 0xFF), MDAT),
        "exceeds the trun box");
    assertMessage(
        TestBytes.concat(INIT, patch(MOOF_TREX_DEFAULTS, 27, 0x7F), MDAT), "overrun the moof");
    assertMessage(
        TestBytes.concat(INIT, patch(MOOF_TREX_DEFAULTS, 39, 'x'), MDAT),
        "does not start with tfhd");
  }

  static void assertMessage(byte[] stream, String fragment) {
    Fmp4Error e = new Fmp4StreamReader(MAX_BOX).push(stream).error().orElseThrow();
    assertTrue(e.message().contains(fragment), e.message());
  }

  @Test
  void itemsBeforeTheErrorAreDeliveredAndTheReaderStaysFailed() {
    Fmp4StreamReader reader = new Fmp4StreamReader(MAX_BOX);
    Fmp4ReadResult first = reader.push(TestBytes.concat(INIT, MOOF_TREX_DEFAULTS, MDAT, MDAT));
    assertEquals(2, first.items().size());
    assertEquals(Fmp4Error.Kind.UNEXPECTED_BOX, first.error().orElseThrow().kind());
    assertEquals(Fmp4StreamReader.State.FAILED, reader.state());
    Fmp4ReadResult again = reader.push(TestBytes.concat(MOOF_TREX_DEFAULTS, MDAT));
    assertTrue(again.items().isEmpty());
    assertEquals(first.error(), again.error());
  }

  @Test
  void statesFollowTheStructure() {
    Fmp4StreamReader reader = new Fmp4StreamReader(MAX_BOX);
    assertEquals(Fmp4StreamReader.State.AWAIT_FTYP, reader.state());
    reader.push(FTYP);
    assertEquals(Fmp4StreamReader.State.AWAIT_MOOV, reader.state());
    assertFalse(reader.track().isPresent());
    reader.push(MOOV);
    assertEquals(Fmp4StreamReader.State.AWAIT_MOOF, reader.state());
    assertEquals(TRACK, reader.track().orElseThrow());
    reader.push(MOOF_TREX_DEFAULTS);
    assertEquals(Fmp4StreamReader.State.AWAIT_MDAT, reader.state());
    assertEquals(1, reader.push(MDAT).items().size());
    assertEquals(Fmp4StreamReader.State.AWAIT_MOOF, reader.state());
  }

  @Test
  void boxExactlyAtTheBoundIsAccepted() {
    byte[] big = new byte[MAX_BOX];
    big[2] = 0x10; // size 4096
    big[4] = 'f';
    big[5] = 'r';
    big[6] = 'e';
    big[7] = 'e';
    TestBytes.Collected c =
        TestBytes.readInChunks(
            TestBytes.concat(INIT, big, MOOF_TREX_DEFAULTS, MDAT), List.of(999), MAX_BOX);
    assertNull(c.error());
    assertEquals(1, c.fragments().size());
  }

  static byte[] patch(byte[] in, int index, int value) {
    byte[] out = in.clone();
    out[index] = (byte) value;
    return out;
  }

  static int indexOf(byte[] haystack, String fourcc) {
    outer:
    for (int i = 0; i + 4 <= haystack.length; i++) {
      for (int j = 0; j < 4; j++) {
        if (haystack[i + j] != fourcc.charAt(j)) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError(fourcc + " not found");
  }
}
