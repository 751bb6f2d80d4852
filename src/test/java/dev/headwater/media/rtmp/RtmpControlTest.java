package dev.headwater.media.rtmp;

import static dev.headwater.media.TestBytes.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RtmpControlTest {

  record Case(String name, byte[] encoded, RtmpMessage decoded) {}

  static Stream<Arguments> cases() {
    return Stream.of(
            new Case(
                "set chunk size 4096",
                bytes(
                    0x02, // fmt 0, csid 2
                    0x00, 0x00, 0x00, // timestamp 0
                    0x00, 0x00, 0x04, // message length 4
                    0x01, // type 1 set chunk size
                    0x00, 0x00, 0x00, 0x00, // message stream id 0
                    0x00, 0x00, 0x10, 0x00),
                RtmpControl.setChunkSize(4096)), // chunk size
            new Case(
                "window ack size 2500000",
                bytes(
                    0x02, // fmt 0, csid 2
                    0x00, 0x00, 0x00, // timestamp 0
                    0x00, 0x00, 0x04, // message length 4
                    0x05, // type 5 window ack size
                    0x00, 0x00, 0x00, 0x00, // message stream id 0
                    0x00, 0x26, 0x25, 0xA0),
                RtmpControl.windowAckSize(2_500_000)), // window
            new Case(
                "set peer bandwidth dynamic",
                bytes(
                    0x02, // fmt 0, csid 2
                    0x00, 0x00, 0x00, // timestamp 0
                    0x00, 0x00, 0x05, // message length 5
                    0x06, // type 6 set peer bandwidth
                    0x00, 0x00, 0x00, 0x00, // message stream id 0
                    0x00, 0x26, 0x25, 0xA0, // window 2500000
                    0x02),
                RtmpControl.setPeerBandwidth(2_500_000, RtmpControl.LIMIT_DYNAMIC)), // limit type
            new Case(
                "acknowledgement wraps at 2^32",
                bytes(
                    0x02, // fmt 0, csid 2
                    0x00, 0x00, 0x00, // timestamp 0
                    0x00, 0x00, 0x04, // message length 4
                    0x03, // type 3 acknowledgement
                    0x00, 0x00, 0x00, 0x00, // message stream id 0
                    0x00, 0x00, 0x00, 0x05),
                RtmpControl.acknowledgement(0x1_0000_0005L)), // sequence number
            new Case(
                "stream begin 1",
                bytes(
                    0x02, // fmt 0, csid 2
                    0x00, 0x00, 0x00, // timestamp 0
                    0x00, 0x00, 0x06, // message length 6
                    0x04, // type 4 user control
                    0x00, 0x00, 0x00, 0x00, // message stream id 0
                    0x00, 0x00, // event type 0 stream begin
                    0x00, 0x00, 0x00, 0x01),
                RtmpControl.userControlStreamBegin(1))) // stream id
        .map(c -> Arguments.of(Named.of(c.name(), c)));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void encodesControlMessagesOnChunkStream2(Case c) {
    assertArrayEquals(c.encoded(), new RtmpChunkEncoder().encode(c.decoded()));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void decodesControlMessagesBack(Case c) {
    assertEquals(
        List.of(c.decoded()),
        new RtmpChunkDecoder(64, 4).decode(c.encoded(), 0, c.encoded().length).messages());
  }
}
