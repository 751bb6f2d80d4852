package dev.headwater.media.rtmp;

/**
 * Factories for the protocol control (RTMP 5.4) and user control (RTMP 6.2, 7.1.7) messages a
 * server sends. RTMP 5.4 requires message stream 0 and chunk stream 2 for all of them.
 */
public final class RtmpControl {

  /** RTMP 5.4: the chunk stream reserved for control messages. */
  public static final int CONTROL_CHUNK_STREAM = 2;

  /** RTMP 5.4.5: limit types of Set Peer Bandwidth. */
  public static final int LIMIT_HARD = 0;

  public static final int LIMIT_SOFT = 1;
  public static final int LIMIT_DYNAMIC = 2;

  /** RTMP 7.1.7: user control event Stream Begin. */
  public static final int EVENT_STREAM_BEGIN = 0;

  private RtmpControl() {}

  /** RTMP 5.4.1: 31-bit chunk size, top bit zero. */
  public static RtmpMessage setChunkSize(int size) {
    if (size < 1) {
      throw new IllegalArgumentException("chunk size " + size + " outside 1..2147483647");
    }
    return control(RtmpMessage.SET_CHUNK_SIZE, u32(size));
  }

  /** RTMP 5.4.4: how many bytes the peer may receive before it must acknowledge. */
  public static RtmpMessage windowAckSize(int size) {
    return control(RtmpMessage.WINDOW_ACK_SIZE, u32(size));
  }

  /** RTMP 5.4.5: the peer's output bandwidth limit and its type (hard, soft, dynamic). */
  public static RtmpMessage setPeerBandwidth(int size, int limitType) {
    byte[] b = new byte[5];
    System.arraycopy(u32(size), 0, b, 0, 4);
    b[4] = (byte) limitType;
    return control(RtmpMessage.SET_PEER_BANDWIDTH, b);
  }

  /** RTMP 5.4.3: the number of bytes received so far, modulo 2^32. */
  public static RtmpMessage acknowledgement(long sequenceNumber) {
    return control(RtmpMessage.ACKNOWLEDGEMENT, u32((int) sequenceNumber));
  }

  /** RTMP 7.1.7: Stream Begin, a 2-byte event type followed by the 4-byte stream id. */
  public static RtmpMessage userControlStreamBegin(int streamId) {
    byte[] id = u32(streamId);
    byte[] b = {0, EVENT_STREAM_BEGIN, id[0], id[1], id[2], id[3]};
    return control(RtmpMessage.USER_CONTROL, b);
  }

  private static RtmpMessage control(int typeId, byte[] payload) {
    return new RtmpMessage(typeId, 0, 0, CONTROL_CHUNK_STREAM, payload);
  }

  private static byte[] u32(int v) {
    return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
  }
}
