package dev.headwater.media.rtmp;

import static dev.headwater.media.TestBytes.bytes;
import static dev.headwater.media.TestBytes.concat;
import static dev.headwater.media.TestBytes.pattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RtmpChunkDecoderTest {

  record Case(String name, byte[] encoded, List<RtmpMessage> decoded) {}

  static final byte[] P5 = bytes(0x10, 0x11, 0x12, 0x13, 0x14);
  static final byte[] P130 = pattern(130, 3);

  /** Chunkings that {@link RtmpChunkEncoder} also produces at the default chunk size of 128. */
  static List<Case> bothWays() {
    return List.of(
        new Case(
            "type 0 with one-byte basic header",
            concat(
                bytes(
                    0x03, // fmt 0, csid 3
                    0x00, 0x03, 0xE8, // timestamp 1000
                    0x00, 0x00, 0x05, // message length 5
                    0x14, // type 20 command
                    0x00, 0x00, 0x00, 0x00), // message stream id 0 (LE)
                P5),
            List.of(new RtmpMessage(20, 1000, 0, 3, P5))),
        new Case(
            "type 0 with two-byte basic header",
            concat(
                bytes(
                    0x00, 0x24, // fmt 0, csid 36 + 64 = 100
                    0x00, 0x00, 0x01, // timestamp 1
                    0x00, 0x00, 0x05, // message length 5
                    0x09, // type 9 video
                    0x01, 0x00, 0x00, 0x00), // message stream id 1 (LE)
                P5),
            List.of(new RtmpMessage(9, 1, 1, 100, P5))),
        new Case(
            "type 0 with three-byte basic header",
            concat(
                bytes(
                    0x01, 0x50, 0x01, // fmt 0, csid 0x150 + 64 = 400
                    0x00, 0x00, 0x02, // timestamp 2
                    0x00, 0x00, 0x05, // message length 5
                    0x08, // type 8 audio
                    0x01, 0x02, 0x00, 0x00), // message stream id 0x0201 (LE)
                P5),
            List.of(new RtmpMessage(8, 2, 0x201, 400, P5))),
        new Case(
            "type 0 with extended timestamp",
            concat(
                bytes(
                    0x04, // fmt 0, csid 4
                    0xFF, 0xFF, 0xFF, // timestamp: extended follows
                    0x00, 0x00, 0x05, // message length 5
                    0x08, // type 8 audio
                    0x01, 0x00, 0x00, 0x00, // message stream id 1
                    0x01, 0x00, 0x00, 0x00), // extended timestamp 0x01000000
                P5),
            List.of(new RtmpMessage(8, 0x01000000, 1, 4, P5))),
        new Case(
            "type 3 continuation",
            concat(
                bytes(
                    0x06, // fmt 0, csid 6
                    0x00, 0x00, 0x28, // timestamp 40
                    0x00, 0x00, 0x82, // message length 130
                    0x09, // type 9 video
                    0x01, 0x00, 0x00, 0x00), // message stream id 1
                Arrays.copyOfRange(P130, 0, 128),
                bytes(0xC6), // fmt 3, csid 6
                Arrays.copyOfRange(P130, 128, 130)),
            List.of(new RtmpMessage(9, 40, 1, 6, P130))),
        new Case(
            "type 3 continuation with extended timestamp",
            concat(
                bytes(
                    0x06, // fmt 0, csid 6
                    0xFF, 0xFF, 0xFF, // timestamp: extended follows
                    0x00, 0x00, 0x82, // message length 130
                    0x09, // type 9 video
                    0x01, 0x00, 0x00, 0x00, // message stream id 1
                    0xFF, 0xFF, 0xFF, 0xFF), // extended timestamp 2^32-1
                Arrays.copyOfRange(P130, 0, 128),
                bytes(
                    0xC6, // fmt 3, csid 6
                    0xFF, 0xFF, 0xFF, 0xFF), // extended timestamp repeated
                Arrays.copyOfRange(P130, 128, 130)),
            List.of(new RtmpMessage(9, 0xFFFFFFFFL, 1, 6, P130))),
        new Case(
            "zero-length message",
            bytes(
                0x03, // fmt 0, csid 3
                0x00, 0x00, 0x00, // timestamp 0
                0x00, 0x00, 0x00, // message length 0
                0x12, // type 18 data
                0x00, 0x00, 0x00, 0x00), // message stream id 0
            List.of(new RtmpMessage(18, 0, 0, 3, new byte[0]))));
  }

  /** Header compression, interleaving and control: things only peers produce. */
  static List<Case> decodeOnly() {
    byte[] type0Audio =
        bytes(
            0x04, // fmt 0, csid 4
            0x00, 0x00, 0x64, // timestamp 100
            0x00, 0x00, 0x05, // message length 5
            0x08, // type 8 audio
            0x01, 0x00, 0x00, 0x00); // message stream id 1
    byte[] p3 = bytes(0x21, 0x22, 0x23);
    byte[] p256 = pattern(256, 9);
    return List.of(
        new Case(
            "type 1 adds its delta and changes length and type",
            concat(
                type0Audio,
                P5,
                bytes(
                    0x44, // fmt 1, csid 4
                    0x00, 0x00, 0x14, // timestamp delta 20
                    0x00, 0x00, 0x03, // message length 3
                    0x09), // type 9 video
                p3),
            List.of(new RtmpMessage(8, 100, 1, 4, P5), new RtmpMessage(9, 120, 1, 4, p3))),
        new Case(
            "type 2 adds its delta and keeps length and type",
            concat(
                type0Audio,
                P5,
                bytes(
                    0x84, // fmt 2, csid 4
                    0x00, 0x00, 0x0A), // timestamp delta 10
                P5),
            List.of(new RtmpMessage(8, 100, 1, 4, P5), new RtmpMessage(8, 110, 1, 4, P5))),
        new Case(
            "type 3 new message after type 0 uses its timestamp as delta",
            concat(
                type0Audio,
                P5,
                bytes(0xC4), // fmt 3, csid 4
                P5),
            List.of(new RtmpMessage(8, 100, 1, 4, P5), new RtmpMessage(8, 200, 1, 4, P5))),
        new Case(
            "type 3 new messages repeat the last delta",
            concat(
                type0Audio,
                P5,
                bytes(
                    0x84, // fmt 2, csid 4
                    0x00, 0x00, 0x17), // timestamp delta 23
                P5,
                bytes(0xC4),
                P5, // fmt 3, csid 4
                bytes(0xC4),
                P5), // fmt 3, csid 4
            List.of(
                new RtmpMessage(8, 100, 1, 4, P5), new RtmpMessage(8, 123, 1, 4, P5),
                new RtmpMessage(8, 146, 1, 4, P5), new RtmpMessage(8, 169, 1, 4, P5))),
        new Case(
            "type 1 with extended delta",
            concat(
                type0Audio,
                P5,
                bytes(
                    0x44, // fmt 1, csid 4
                    0xFF, 0xFF, 0xFF, // delta: extended follows
                    0x00, 0x00, 0x03, // message length 3
                    0x08, // type 8 audio
                    0x01, 0x00, 0x00, 0x00), // extended delta 0x01000000
                p3),
            List.of(new RtmpMessage(8, 100, 1, 4, P5), new RtmpMessage(8, 0x01000064, 1, 4, p3))),
        new Case(
            "timestamps wrap at 2^32",
            concat(
                bytes(
                    0x04, // fmt 0, csid 4
                    0xFF, 0xFF, 0xFF, // timestamp: extended follows
                    0x00, 0x00, 0x03, // message length 3
                    0x08, // type 8 audio
                    0x01, 0x00, 0x00, 0x00, // message stream id 1
                    0xFF, 0xFF, 0xFF, 0xF0), // extended timestamp 2^32-16
                p3,
                bytes(
                    0x84, // fmt 2, csid 4
                    0x00, 0x00, 0x20), // delta 32
                p3),
            List.of(new RtmpMessage(8, 0xFFFFFFF0L, 1, 4, p3), new RtmpMessage(8, 16, 1, 4, p3))),
        new Case(
            "interleaved chunk streams",
            concat(
                bytes(
                    0x04, // fmt 0, csid 4
                    0x00, 0x00, 0x0A, // timestamp 10
                    0x00, 0x00, 0x82, // message length 130
                    0x08, // type 8 audio
                    0x01, 0x00, 0x00, 0x00), // message stream id 1
                Arrays.copyOfRange(P130, 0, 128),
                bytes(
                    0x06, // fmt 0, csid 6
                    0x00, 0x00, 0x0B, // timestamp 11
                    0x00, 0x00, 0x03, // message length 3
                    0x09, // type 9 video
                    0x01, 0x00, 0x00, 0x00), // message stream id 1
                p3,
                bytes(0xC4), // fmt 3, csid 4: continuation
                Arrays.copyOfRange(P130, 128, 130)),
            List.of(new RtmpMessage(9, 11, 1, 6, p3), new RtmpMessage(8, 10, 1, 4, P130))),
        new Case(
            "set chunk size applies to the next chunk",
            concat(
                bytes(
                    0x02, // fmt 0, csid 2
                    0x00, 0x00, 0x00, // timestamp 0
                    0x00, 0x00, 0x04, // message length 4
                    0x01, // type 1 set chunk size
                    0x00, 0x00, 0x00, 0x00, // message stream id 0
                    0x00, 0x00, 0x01, 0x00, // chunk size 256
                    0x06, // fmt 0, csid 6
                    0x00, 0x00, 0x00, // timestamp 0
                    0x00, 0x01, 0x00, // message length 256
                    0x09, // type 9 video
                    0x01, 0x00, 0x00, 0x00), // message stream id 1
                p256),
            List.of(
                new RtmpMessage(1, 0, 0, 2, bytes(0, 0, 1, 0)), new RtmpMessage(9, 0, 1, 6, p256))),
        new Case(
            "abort discards the partial message",
            concat(
                bytes(
                    0x04, // fmt 0, csid 4
                    0x00, 0x00, 0x0A, // timestamp 10
                    0x00, 0x00, 0x82, // message length 130
                    0x08, // type 8 audio
                    0x01, 0x00, 0x00, 0x00), // message stream id 1
                Arrays.copyOfRange(P130, 0, 128),
                bytes(
                    0x02, // fmt 0, csid 2
                    0x00, 0x00, 0x00, // timestamp 0
                    0x00, 0x00, 0x04, // message length 4
                    0x02, // type 2 abort
                    0x00, 0x00, 0x00, 0x00, // message stream id 0
                    0x00, 0x00, 0x00, 0x04, // chunk stream id 4
                    0x44, // fmt 1, csid 4: new message
                    0x00, 0x00, 0x01, // delta 1
                    0x00, 0x00, 0x03, // message length 3
                    0x08), // type 8 audio
                p3),
            List.of(
                new RtmpMessage(2, 0, 0, 2, bytes(0, 0, 0, 4)), new RtmpMessage(8, 11, 1, 4, p3))));
  }

  record ErrorCase(String name, byte[] encoded, int messagesBeforeError, String messagePart) {}

  static List<ErrorCase> malformed() {
    byte[] setChunkSizeHeader =
        bytes(
            0x02, // fmt 0, csid 2
            0x00, 0x00, 0x00, // timestamp 0
            0x00, 0x00, 0x04, // message length 4
            0x01, // type 1 set chunk size
            0x00, 0x00, 0x00, 0x00); // message stream id 0
    return List.of(
        new ErrorCase(
            "message longer than the bound",
            bytes(
                0x04, // fmt 0, csid 4
                0x00, 0x00, 0x00, // timestamp 0
                0x00, 0x10, 0x01, // message length 4097
                0x09, // type 9 video
                0x01, 0x00, 0x00, 0x00),
            0,
            "exceeds the limit of 4096"),
        new ErrorCase(
            "chunk stream starting with type 1",
            bytes(
                0x44, // fmt 1, csid 4
                0x00, 0x00, 0x00, // delta 0
                0x00, 0x00, 0x01, // message length 1
                0x09),
            0,
            "starts with a type 1 header"), // type 9 video
        new ErrorCase(
            "chunk stream starting with type 3", bytes(0xC4), 0, "starts with a type 3 header"),
        new ErrorCase(
            "set chunk size 0",
            concat(setChunkSizeHeader, bytes(0x00, 0x00, 0x00, 0x00)),
            1,
            "outside 1..2147483647"),
        new ErrorCase(
            "set chunk size with top bit set",
            concat(setChunkSizeHeader, bytes(0x80, 0x00, 0x10, 0x00)),
            1,
            "outside 1..2147483647"),
        new ErrorCase(
            "type 0 header in the middle of a message",
            concat(
                bytes(
                    0x04, // fmt 0, csid 4
                    0x00, 0x00, 0x00, // timestamp 0
                    0x00, 0x00, 0x82, // message length 130
                    0x08, // type 8 audio
                    0x01, 0x00, 0x00, 0x00), // message stream id 1
                new byte[128],
                bytes(
                    0x04, // fmt 0, csid 4 again
                    0x00, 0x00, 0x00, // timestamp 0
                    0x00, 0x00, 0x01, // message length 1
                    0x08, // type 8 audio
                    0x01, 0x00, 0x00, 0x00)),
            0,
            "while a message is incomplete"));
  }

  static Stream<Arguments> bothWaysArgs() {
    return named(bothWays());
  }

  static Stream<Arguments> allCases() {
    return named(Stream.concat(bothWays().stream(), decodeOnly().stream()).toList());
  }

  static Stream<Arguments> errorArgs() {
    return malformed().stream().map(c -> Arguments.of(Named.of(c.name(), c)));
  }

  private static Stream<Arguments> named(List<Case> cases) {
    return cases.stream().map(c -> Arguments.of(Named.of(c.name(), c)));
  }

  @ParameterizedTest
  @MethodSource("allCases")
  void decodesChunksIntoMessages(Case c) {
    RtmpDecodeResult r = new RtmpChunkDecoder(4096, 16).decode(c.encoded(), 0, c.encoded().length);
    assertNull(r.error());
    assertEquals(c.decoded(), r.messages());
  }

  @ParameterizedTest
  @MethodSource("allCases")
  void decodesTheSameWhenFedOneByteAtATime(Case c) {
    RtmpChunkDecoder decoder = new RtmpChunkDecoder(4096, 16);
    List<RtmpMessage> out = new ArrayList<>();
    for (int i = 0; i < c.encoded().length; i++) {
      RtmpDecodeResult r = decoder.decode(c.encoded(), i, 1);
      assertNull(r.error());
      out.addAll(r.messages());
    }
    assertEquals(c.decoded(), out);
    assertEquals(c.encoded().length, decoder.bytesReceived());
  }

  @ParameterizedTest
  @MethodSource("bothWaysArgs")
  void encodesMessagesIntoTheSameChunks(Case c) {
    RtmpChunkEncoder encoder = new RtmpChunkEncoder();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    c.decoded().forEach(m -> out.writeBytes(encoder.encode(m)));
    assertArrayEquals(c.encoded(), out.toByteArray());
  }

  @ParameterizedTest
  @MethodSource("errorArgs")
  void reportsMalformedStreamsAndStaysFailed(ErrorCase c) {
    RtmpChunkDecoder decoder = new RtmpChunkDecoder(4096, 16);
    RtmpDecodeResult r = decoder.decode(c.encoded(), 0, c.encoded().length);
    assertTrue(r.failed());
    assertTrue(r.error().contains(c.messagePart()), r.error());
    assertEquals(c.messagesBeforeError(), r.messages().size());
    assertTrue(decoder.failed());
    byte[] valid = bothWays().get(0).encoded();
    RtmpDecodeResult after = decoder.decode(valid, 0, valid.length);
    assertTrue(after.failed());
    assertTrue(after.messages().isEmpty());
  }

  @Test
  void refusesMoreChunkStreamsThanTheBound() {
    RtmpChunkDecoder decoder = new RtmpChunkDecoder(4096, 2);
    RtmpChunkEncoder encoder = new RtmpChunkEncoder();
    byte[] stream =
        concat(
            encoder.encode(new RtmpMessage(8, 0, 1, 4, P5)),
            encoder.encode(new RtmpMessage(8, 0, 1, 5, P5)),
            encoder.encode(new RtmpMessage(8, 0, 1, 6, P5)));
    RtmpDecodeResult r = decoder.decode(stream, 0, stream.length);
    assertEquals(2, r.messages().size());
    assertTrue(r.error().contains("more than 2 chunk streams"), r.error());
  }

  @Test
  void appliesLargeChunkSizeUpToTheTopBitLimit() {
    RtmpChunkDecoder decoder = new RtmpChunkDecoder(1 << 20, 4);
    byte[] setMax =
        concat(
            bytes(
                0x02, // fmt 0, csid 2
                0x00, 0x00, 0x00, // timestamp 0
                0x00, 0x00, 0x04, // message length 4
                0x01, // type 1 set chunk size
                0x00, 0x00, 0x00, 0x00, // message stream id 0
                0x7F, 0xFF, 0xFF, 0xFF)); // chunk size 2^31-1
    RtmpDecodeResult r = decoder.decode(setMax, 0, setMax.length);
    assertFalse(r.failed());
    assertEquals(0x7FFFFFFF, decoder.chunkSize());
    RtmpChunkEncoder encoder = new RtmpChunkEncoder();
    encoder.setChunkSize(0x7FFFFFFF);
    RtmpMessage big = new RtmpMessage(9, 5, 1, 6, pattern(300_000, 1));
    byte[] one = encoder.encode(big);
    assertEquals(List.of(big), decoder.decode(one, 0, one.length).messages());
  }

  @Test
  void refusesBufferRangesOutsideTheArrayWithoutFailingTheStream() {
    RtmpChunkDecoder decoder = new RtmpChunkDecoder(4096, 4);
    assertTrue(decoder.decode(new byte[3], 2, 5).failed());
    assertFalse(decoder.failed());
  }

  @Test
  void countsEveryByteReceived() {
    RtmpChunkDecoder decoder = new RtmpChunkDecoder(4096, 4);
    decoder.decode(new byte[10], 0, 3);
    decoder.decode(new byte[10], 2, 7);
    assertEquals(10, decoder.bytesReceived());
  }
}
