package dev.headwater.media.rtmp;

import dev.headwater.media.amf.Amf0;
import dev.headwater.media.amf.Amf0Decoder;
import dev.headwater.media.amf.Amf0Encoder;
import dev.headwater.media.amf.Amf0Result;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A command message (RTMP 7.1.1, 7.2): name, transaction id, command object and optional arguments,
 * all AMF0. Java {@code null} is normalised to {@link Amf0#NULL} so that a command read back from
 * its own message is equal to the original.
 *
 * @param name command name, e.g. "connect", "publish", "_result", "onStatus"
 * @param transactionId 0 when no reply is expected
 * @param commandObject a {@code Map<String,Object>} or {@link Amf0#NULL}
 * @param args the remaining values, in order
 */
public record RtmpCommand(
    String name, double transactionId, Object commandObject, List<Object> args) {

  public RtmpCommand {
    commandObject = commandObject == null ? Amf0.NULL : commandObject;
    List<Object> copy = new ArrayList<>(args == null ? List.of() : args);
    copy.replaceAll(v -> v == null ? Amf0.NULL : v);
    args = Collections.unmodifiableList(copy);
  }

  /** Reads a type 20 message, or a type 17 one whose body is AMF0 after the leading 0 byte. */
  public static RtmpCommandResult parse(RtmpMessage m) {
    byte[] b = m.payload();
    int offset;
    if (m.typeId() == RtmpMessage.COMMAND_AMF0) {
      offset = 0;
    } else if (m.typeId() == RtmpMessage.COMMAND_AMF3 && b.length > 0 && b[0] == 0) {
      // RTMP 7.1.1: AMF3 command messages start with a format byte; 0 means AMF0 values follow.
      offset = 1;
    } else {
      return new RtmpCommandResult.Invalid(
          "message type " + m.typeId() + " is not an AMF0 command");
    }
    Amf0Result decoded = Amf0Decoder.decodeAll(b, offset, b.length - offset);
    if (decoded instanceof Amf0Result.Error e) {
      return new RtmpCommandResult.Invalid("command body: " + e.message());
    }
    List<Object> values = ((Amf0Result.Values) decoded).values();
    // RTMP 7.1.1: command name (string) and transaction id (number) come first.
    if (values.size() < 2
        || !(values.get(0) instanceof String name)
        || !(values.get(1) instanceof Double txn)) {
      return new RtmpCommandResult.Invalid("command must start with a name and a transaction id");
    }
    Object commandObject = values.size() > 2 ? values.get(2) : Amf0.NULL;
    List<Object> args = values.size() > 3 ? values.subList(3, values.size()) : List.of();
    return new RtmpCommandResult.Parsed(new RtmpCommand(name, txn, commandObject, args));
  }

  /** The command as a type 20 message with timestamp 0. */
  public RtmpMessage toMessage(int chunkStreamId, int messageStreamId) {
    List<Object> values = new ArrayList<>(3 + args.size());
    values.add(name);
    values.add(transactionId);
    values.add(commandObject);
    values.addAll(args);
    return new RtmpMessage(
        RtmpMessage.COMMAND_AMF0, 0, messageStreamId, chunkStreamId, Amf0Encoder.encodeAll(values));
  }
}
