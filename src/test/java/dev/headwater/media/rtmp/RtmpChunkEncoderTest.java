package dev.headwater.media.rtmp;

import static dev.headwater.media.TestBytes.bytes;
import static dev.headwater.media.TestBytes.concat;
import static dev.headwater.media.TestBytes.pattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RtmpChunkEncoderTest {

  @Test
  void splitsMessagesAtTheCurrentChunkSize() {
    RtmpChunkEncoder encoder = new RtmpChunkEncoder();
    encoder.setChunkSize(4);
    byte[] payload = pattern(10, 0);
    byte[] expected =
        concat(
            bytes(
                0x05, // fmt 0, csid 5
                0x00, 0x00, 0x07, // timestamp 7
                0x00, 0x00, 0x0A, // message length 10
                0x14, // type 20
                0x01, 0x00, 0x00, 0x00), // message stream id 1
            Arrays.copyOfRange(payload, 0, 4),
            bytes(0xC5), // fmt 3, csid 5
            Arrays.copyOfRange(payload, 4, 8),
            bytes(0xC5), // fmt 3, csid 5
            Arrays.copyOfRange(payload, 8, 10));
    assertArrayEquals(expected, encoder.encode(new RtmpMessage(20, 7, 1, 5, payload)));
  }

  @Test
  void usesExtendedTimestampFrom0xFFFFFF() {
    RtmpChunkEncoder encoder = new RtmpChunkEncoder();
    byte[] expected =
        bytes(
            0x05, // fmt 0, csid 5
            0xFF, 0xFF, 0xFF, // timestamp: extended follows
            0x00, 0x00, 0x01, // message length 1
            0x08, // type 8
            0x00, 0x00, 0x00, 0x00, // message stream id 0
            0x00, 0xFF, 0xFF, 0xFF, // extended timestamp 0xFFFFFF
            0x2A); // payload
    assertArrayEquals(expected, encoder.encode(new RtmpMessage(8, 0xFFFFFF, 0, 5, bytes(0x2A))));
  }

  @Test
  void writesLargestChunkStreamIdInThreeByteForm() {
    byte[] encoded = new RtmpChunkEncoder().encode(new RtmpMessage(8, 0, 0, 65599, new byte[0]));
    assertArrayEquals(bytes(0x01, 0xFF, 0xFF), Arrays.copyOf(encoded, 3));
    assertEquals(
        List.of(new RtmpMessage(8, 0, 0, 65599, new byte[0])),
        new RtmpChunkDecoder(16, 4).decode(encoded, 0, encoded.length).messages());
  }

  @Test
  void refusesIdsAndSizesRtmpCannotCarry() {
    RtmpChunkEncoder encoder = new RtmpChunkEncoder();
    assertThrows(
        IllegalArgumentException.class,
        () -> encoder.encode(new RtmpMessage(8, 0, 0, 1, new byte[0])));
    assertThrows(
        IllegalArgumentException.class,
        () -> encoder.encode(new RtmpMessage(8, 0, 0, 65600, new byte[0])));
    assertThrows(IllegalArgumentException.class, () -> encoder.setChunkSize(0));
  }
}
