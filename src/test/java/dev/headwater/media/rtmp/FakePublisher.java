package dev.headwater.media.rtmp;

import static dev.headwater.media.TestBytes.concat;
import static dev.headwater.media.TestBytes.pattern;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.headwater.media.amf.Amf0;
import dev.headwater.media.amf.Amf0EcmaArray;
import dev.headwater.media.amf.Amf0Encoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The client half of a publish, producing bytes the way FFmpeg's rtmp protocol does (chunk streams
 * 2, 3, 4, 6 and 8, Set Chunk Size 4096 after connect) and reading the server's replies back into
 * messages.
 */
final class FakePublisher {

  final RtmpChunkEncoder encoder = new RtmpChunkEncoder();
  private final RtmpChunkDecoder replies = new RtmpChunkDecoder(1 << 20, 16);
  private int handshakeBytesToSkip = 1 + 2 * RtmpHandshake.PACKET_SIZE;

  static byte[] c0c1() {
    return concat(new byte[] {3}, pattern(RtmpHandshake.PACKET_SIZE, 1));
  }

  static byte[] c2() {
    return pattern(RtmpHandshake.PACKET_SIZE, 2);
  }

  byte[] connect(String app, String tcUrl) {
    Map<String, Object> props = new LinkedHashMap<>();
    props.put("app", app);
    props.put("type", "nonprivate");
    props.put("flashVer", "FMLE/3.0 (compatible; Lavf61.7.100)");
    props.put("tcUrl", tcUrl);
    return command(3, 0, "connect", 1, props);
  }

  byte[] command(
      int csid, int msid, String name, double txn, Object commandObject, Object... args) {
    List<Object> values = new ArrayList<>(List.of(name, txn));
    values.add(commandObject == null ? Amf0.NULL : commandObject);
    values.addAll(Arrays.asList(args));
    return encoder.encode(
        new RtmpMessage(RtmpMessage.COMMAND_AMF0, 0, msid, csid, Amf0Encoder.encodeAll(values)));
  }

  byte[] setChunkSize(int size) {
    byte[] b = encoder.encode(RtmpControl.setChunkSize(size));
    encoder.setChunkSize(size);
    return b;
  }

  byte[] metadata(Map<String, Object> values) {
    byte[] body = Amf0Encoder.encode("@setDataFrame", "onMetaData", new Amf0EcmaArray(values));
    return encoder.encode(new RtmpMessage(RtmpMessage.DATA_AMF0, 0, 1, 4, body));
  }

  byte[] media(int type, long timestamp, byte[] payload) {
    return encoder.encode(
        new RtmpMessage(type, timestamp, 1, type == RtmpMessage.AUDIO ? 4 : 6, payload));
  }

  /** The messages in the server's output, after the handshake bytes it contains. */
  List<RtmpMessage> read(SessionOutput out) {
    List<RtmpMessage> messages = new ArrayList<>();
    for (byte[] b : out.toSend()) {
      int skip = Math.min(handshakeBytesToSkip, b.length);
      handshakeBytesToSkip -= skip;
      RtmpDecodeResult r = replies.decode(b, skip, b.length - skip);
      assertFalse(r.failed(), r.error());
      messages.addAll(r.messages());
    }
    return messages;
  }
}
