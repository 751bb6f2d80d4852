package dev.headwater.media.rtmp;

import static dev.headwater.media.TestBytes.bytes;
import static dev.headwater.media.TestBytes.concat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.headwater.media.amf.Amf0;
import dev.headwater.media.amf.Amf0Encoder;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RtmpCommandTest {

  @Test
  void parsesPublishWithNullCommandObjectAndArguments() {
    byte[] body =
        bytes(
            0x02, 0x00, 0x07, // string, length 7
            0x70, 0x75, 0x62, 0x6C, 0x69, 0x73, 0x68, // "publish"
            0x00, 0x40, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, // number 5.0 (transaction id) ...
            0x00, // ... last byte
            0x05, // null command object
            0x02, 0x00, 0x04, 0x6E, 0x61, 0x6D, 0x65, // string "name"
            0x02, 0x00, 0x04, 0x6C, 0x69, 0x76, 0x65); // string "live"
    RtmpCommandResult r = RtmpCommand.parse(new RtmpMessage(20, 0, 1, 8, body));
    RtmpCommand c = assertInstanceOf(RtmpCommandResult.Parsed.class, r).command();
    assertEquals(new RtmpCommand("publish", 5.0, Amf0.NULL, List.of("name", "live")), c);
    assertArrayEquals(body, c.toMessage(8, 1).payload());
  }

  @Test
  void parsesAmf3CommandMessagesThatCarryAmf0() {
    byte[] body = concat(bytes(0x00), Amf0Encoder.encode("createStream", 4.0, null));
    RtmpCommandResult r = RtmpCommand.parse(new RtmpMessage(17, 0, 0, 3, body));
    assertEquals(
        new RtmpCommand("createStream", 4.0, null, List.of()),
        assertInstanceOf(RtmpCommandResult.Parsed.class, r).command());
  }

  @Test
  void rejectsNonCommandsAndMalformedBodies() {
    assertInstanceOf(
        RtmpCommandResult.Invalid.class,
        RtmpCommand.parse(new RtmpMessage(9, 0, 1, 6, bytes(0x17))));
    assertInstanceOf(
        RtmpCommandResult.Invalid.class,
        RtmpCommand.parse(new RtmpMessage(20, 0, 0, 3, bytes(0x02, 0x00))));
    assertInstanceOf(
        RtmpCommandResult.Invalid.class,
        RtmpCommand.parse(new RtmpMessage(20, 0, 0, 3, Amf0Encoder.encode("nameOnly"))));
    assertInstanceOf(
        RtmpCommandResult.Invalid.class,
        RtmpCommand.parse(new RtmpMessage(20, 0, 0, 3, Amf0Encoder.encode(1.0, 2.0))));
  }

  @Test
  void roundTripsThroughItsMessage() {
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("level", "status");
    info.put("code", "NetStream.Publish.Start");
    RtmpCommand c = new RtmpCommand("onStatus", 0, null, Arrays.asList(info, null));
    RtmpMessage m = c.toMessage(5, 1);
    assertEquals(20, m.typeId());
    assertEquals(5, m.chunkStreamId());
    assertEquals(1, m.messageStreamId());
    assertEquals(
        c, assertInstanceOf(RtmpCommandResult.Parsed.class, RtmpCommand.parse(m)).command());
  }
}
