package dev.headwater.media.rtmp;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * One complete RTMP message (RTMP 6.1) as reassembled from, or to be split into, chunks. Equality
 * compares payload bytes so that decoded messages can be compared with originals.
 *
 * @param typeId message type id, see the constants
 * @param timestamp 32-bit timestamp in milliseconds (0..0xFFFFFFFF)
 * @param messageStreamId message stream id (0 for control and NetConnection commands)
 * @param chunkStreamId the chunk stream that carried or will carry the message (2..65599)
 * @param payload the message body, not copied
 */
public record RtmpMessage(
    int typeId, long timestamp, int messageStreamId, int chunkStreamId, byte[] payload) {

  /** RTMP 5.4.1. */
  public static final int SET_CHUNK_SIZE = 1;

  /** RTMP 5.4.2. */
  public static final int ABORT = 2;

  /** RTMP 5.4.3. */
  public static final int ACKNOWLEDGEMENT = 3;

  /** RTMP 6.2 / 7.1.7. */
  public static final int USER_CONTROL = 4;

  /** RTMP 5.4.4. */
  public static final int WINDOW_ACK_SIZE = 5;

  /** RTMP 5.4.5. */
  public static final int SET_PEER_BANDWIDTH = 6;

  /** RTMP 7.1.4. */
  public static final int AUDIO = 8;

  /** RTMP 7.1.5. */
  public static final int VIDEO = 9;

  /** RTMP 7.1.2, AMF3 encoded. */
  public static final int DATA_AMF3 = 15;

  /** RTMP 7.1.3, AMF3 encoded. */
  public static final int SHARED_OBJECT_AMF3 = 16;

  /** RTMP 7.1.1, AMF3 encoded. */
  public static final int COMMAND_AMF3 = 17;

  /** RTMP 7.1.2, AMF0 encoded. */
  public static final int DATA_AMF0 = 18;

  /** RTMP 7.1.3, AMF0 encoded. */
  public static final int SHARED_OBJECT_AMF0 = 19;

  /** RTMP 7.1.1, AMF0 encoded. */
  public static final int COMMAND_AMF0 = 20;

  /** RTMP 7.1.6. */
  public static final int AGGREGATE = 22;

  @Override
  public boolean equals(Object o) {
    return o instanceof RtmpMessage m
        && m.typeId == typeId
        && m.timestamp == timestamp
        && m.messageStreamId == messageStreamId
        && m.chunkStreamId == chunkStreamId
        && Arrays.equals(m.payload, payload);
  }

  @Override
  public int hashCode() {
    int h = typeId;
    h = h * 31 + Long.hashCode(timestamp);
    h = h * 31 + messageStreamId;
    h = h * 31 + chunkStreamId;
    return h * 31 + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    String head = HexFormat.of().formatHex(payload, 0, Math.min(payload.length, 16));
    return "RtmpMessage[type="
        + typeId
        + ", ts="
        + timestamp
        + ", msid="
        + messageStreamId
        + ", csid="
        + chunkStreamId
        + ", "
        + payload.length
        + " bytes: "
        + head
        + (payload.length > 16 ? "...]" : "]");
  }
}
