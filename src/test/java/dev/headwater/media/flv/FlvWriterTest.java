package dev.headwater.media.flv;

import static dev.headwater.media.TestBytes.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FlvWriterTest {

  record Case(String name, byte[] encoded, FlvTag decoded) {}

  static Stream<Arguments> tags() {
    return Stream.of(
            new Case(
                "video tag with extended timestamp byte",
                bytes(
                    0x09, // TagType video
                    0x00, 0x00, 0x03, // DataSize 3
                    0x02, 0x03, 0x04, // Timestamp lower 24 bits
                    0x01, // TimestampExtended
                    0x00, 0x00, 0x00, // StreamID 0
                    0x17, 0x00, 0x00, // data
                    0x00, 0x00, 0x00, 0x0E), // PreviousTagSize 11 + 3
                new FlvTag(9, 0x01020304L, bytes(0x17, 0x00, 0x00))),
            new Case(
                "audio tag",
                bytes(
                    0x08, // TagType audio
                    0x00, 0x00, 0x02, // DataSize 2
                    0x00, 0x00, 0x21, // Timestamp 33
                    0x00, // TimestampExtended
                    0x00, 0x00, 0x00, // StreamID 0
                    0xAF, 0x01, // data
                    0x00, 0x00, 0x00, 0x0D), // PreviousTagSize 11 + 2
                new FlvTag(8, 33, bytes(0xAF, 0x01))),
            new Case(
                "empty script tag",
                bytes(
                    0x12, // TagType script data
                    0x00, 0x00, 0x00, // DataSize 0
                    0x00, 0x00, 0x00, // Timestamp 0
                    0x00, // TimestampExtended
                    0x00, 0x00, 0x00, // StreamID 0
                    0x00, 0x00, 0x00, 0x0B), // PreviousTagSize 11
                new FlvTag(18, 0, new byte[0])))
        .map(c -> Arguments.of(Named.of(c.name(), c)));
  }

  @ParameterizedTest
  @MethodSource("tags")
  void writesTagHeaderBodyAndPreviousTagSize(Case c) {
    assertArrayEquals(c.encoded(), FlvWriter.tag(c.decoded()));
  }

  @Test
  void writesHeaderWithAudioAndVideoFlagsAndPreviousTagSize0() {
    assertArrayEquals(
        bytes(
            0x46, 0x4C, 0x56, 0x01, // "FLV", version 1
            0x05, // flags: audio | video
            0x00, 0x00, 0x00, 0x09, // DataOffset 9
            0x00, 0x00, 0x00, 0x00),
        FlvWriter.header(true, true)); // PreviousTagSize0
    assertArrayEquals(
        bytes(
            0x46, 0x4C, 0x56, 0x01, // "FLV", version 1
            0x01, // flags: video only
            0x00, 0x00, 0x00, 0x09, // DataOffset 9
            0x00, 0x00, 0x00, 0x00),
        FlvWriter.header(false, true)); // PreviousTagSize0
  }

  @Test
  void refusesBodiesBeyondThe24BitDataSize() {
    assertThrows(
        IllegalArgumentException.class, () -> FlvWriter.tag(new FlvTag(9, 0, new byte[0x1000000])));
  }
}
