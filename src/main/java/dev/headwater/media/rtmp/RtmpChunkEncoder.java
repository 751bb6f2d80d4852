package dev.headwater.media.rtmp;

import java.io.ByteArrayOutputStream;

/**
 * Splits outgoing messages into chunks (RTMP 5.3). Every message starts with a type 0 header and
 * continues with type 3 headers: the server sends few messages, so header compression across
 * messages is not worth the state it would need. The caller must send a Set Chunk Size message
 * before switching {@link #setChunkSize} so that the peer reads the same sizes.
 */
public final class RtmpChunkEncoder {

  private static final long TIMESTAMP_EXTENDED = 0xFFFFFF;
  private static final int MAX_CHUNK_STREAM_ID = 65599;

  private int chunkSize = RtmpChunkDecoder.DEFAULT_CHUNK_SIZE;

  public int chunkSize() {
    return chunkSize;
  }

  /** RTMP 5.4.1: valid chunk sizes are 1 to 2147483647. */
  public void setChunkSize(int size) {
    if (size < 1) {
      throw new IllegalArgumentException("chunk size " + size + " outside 1..2147483647");
    }
    chunkSize = size;
  }

  /** The chunks of one message, ready to write. Throws on ids or sizes RTMP cannot express. */
  public byte[] encode(RtmpMessage m) {
    int csid = m.chunkStreamId();
    byte[] payload = m.payload();
    if (csid < 2 || csid > MAX_CHUNK_STREAM_ID) {
      throw new IllegalArgumentException("chunk stream id " + csid + " outside 2..65599");
    }
    if (payload.length > 0xFFFFFF) {
      throw new IllegalArgumentException(
          "message of " + payload.length + " bytes exceeds 24-bit length");
    }
    long ts = m.timestamp() & 0xFFFFFFFFL;
    boolean extended = ts >= TIMESTAMP_EXTENDED;
    int chunks = Math.max(1, (payload.length + chunkSize - 1) / chunkSize);
    ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 18 + chunks * 8);

    // RTMP 5.3.1.2.1: type 0 header with timestamp, length, type id, little-endian stream id.
    basicHeader(out, 0, csid);
    u24(out, extended ? TIMESTAMP_EXTENDED : ts);
    u24(out, payload.length);
    out.write(m.typeId());
    int msid = m.messageStreamId();
    out.write(msid);
    out.write(msid >>> 8);
    out.write(msid >>> 16);
    out.write(msid >>> 24);
    if (extended) {
      // RTMP 5.3.1.3: the full timestamp follows when the 3-byte field is saturated.
      u32(out, ts);
    }
    int first = Math.min(chunkSize, payload.length);
    out.write(payload, 0, first);
    for (int p = first; p < payload.length; p += chunkSize) {
      // RTMP 5.3.1.2.4: continuations use type 3 and, like FFmpeg and librtmp, repeat the
      // extended timestamp so that peers expecting it stay in step.
      basicHeader(out, 3, csid);
      if (extended) {
        u32(out, ts);
      }
      out.write(payload, p, Math.min(chunkSize, payload.length - p));
    }
    return out.toByteArray();
  }

  private static void basicHeader(ByteArrayOutputStream out, int format, int csid) {
    // RTMP 5.3.1.1: the shortest of the 1, 2 and 3 byte forms that holds the id.
    if (csid < 64) {
      out.write((format << 6) | csid);
    } else if (csid < 320) {
      out.write(format << 6);
      out.write(csid - 64);
    } else {
      out.write((format << 6) | 1);
      out.write((csid - 64) & 0xFF);
      out.write((csid - 64) >>> 8);
    }
  }

  private static void u24(ByteArrayOutputStream out, long v) {
    out.write((int) (v >>> 16));
    out.write((int) (v >>> 8));
    out.write((int) v);
  }

  private static void u32(ByteArrayOutputStream out, long v) {
    out.write((int) (v >>> 24));
    u24(out, v);
  }
}
