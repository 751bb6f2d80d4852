package dev.headwater.media.rtmp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Push parser that reassembles RTMP messages from the chunk stream (RTMP 5.3). Bytes may be fed in
 * any split; the parser keeps what it needs between calls and never throws on network input.
 *
 * <p>States, one per part of a chunk (RTMP 5.3.1):
 *
 * <ul>
 *   <li>{@code BASIC_HEADER}: collecting the 1, 2 or 3 byte basic header (format and chunk stream
 *       id);
 *   <li>{@code MESSAGE_HEADER}: collecting the 11, 7, 3 or 0 byte message header of that format;
 *   <li>{@code EXTENDED_TIMESTAMP}: collecting the 4-byte extended timestamp, when present;
 *   <li>{@code PAYLOAD}: copying up to one chunk size of payload into the message being built;
 *   <li>{@code FAILED}: the stream was malformed; all further input is ignored.
 * </ul>
 *
 * <p>Set Chunk Size and Abort are applied here, as soon as such a message is complete, because they
 * change how the very next chunk is read; they are still returned to the caller.
 *
 * <p>Memory: a message's buffer grows as its bytes arrive, never to more than its declared length,
 * so announcing a large message costs the sender the bytes it must actually send. The bytes held in
 * partly received messages, summed over all chunk streams, are bounded per connection ({@link
 * #limitBuffered}) and drawn from a {@link ReassemblyBudget} that several connections may share;
 * exceeding either fails the stream. {@link #releaseAll} returns them when the connection goes.
 */
public final class RtmpChunkDecoder {

  enum State {
    BASIC_HEADER,
    MESSAGE_HEADER,
    EXTENDED_TIMESTAMP,
    PAYLOAD,
    FAILED
  }

  /** RTMP 5.4.1: the maximum chunk size defaults to 128 bytes. */
  public static final int DEFAULT_CHUNK_SIZE = 128;

  /** RTMP 5.3.1.2: message header sizes for formats 0, 1, 2 and 3. */
  private static final int[] MESSAGE_HEADER_SIZE = {11, 7, 3, 0};

  private static final int TIMESTAMP_EXTENDED = 0xFFFFFF;

  private static final byte[] EMPTY = new byte[0];

  private final int maxMessageSize;
  private final int maxChunkStreams;
  private final Map<Integer, ChunkStream> streams = new HashMap<>();
  private final byte[] scratch = new byte[11];

  /** Smallest buffer a message starts with, so that small messages grow at most once. */
  private static final int MIN_CAPACITY = 256;

  private int maxBuffered;
  private ReassemblyBudget budget = ReassemblyBudget.UNLIMITED;
  private long buffered;

  private State state = State.BASIC_HEADER;
  private int chunkSize = DEFAULT_CHUNK_SIZE;
  private long bytesReceived;
  private String error;

  private int scratchFill;
  private int scratchNeed;
  private int format;
  private ChunkStream current;
  private int payloadLeftInChunk;

  /**
   * @param maxMessageSize largest message accepted; a longer announced length fails the stream
   * @param maxChunkStreams most distinct chunk stream ids a peer may use
   */
  public RtmpChunkDecoder(int maxMessageSize, int maxChunkStreams) {
    if (maxMessageSize < 1 || maxChunkStreams < 1) {
      throw new IllegalArgumentException("bounds must be positive");
    }
    this.maxMessageSize = maxMessageSize;
    this.maxChunkStreams = maxChunkStreams;
    this.maxBuffered = Integer.MAX_VALUE;
  }

  /**
   * Bounds the bytes held in partly received messages from now on: at most {@code maxBuffered} for
   * this connection, taken from {@code budget}. What is held already moves to the new budget (a
   * session that authenticates moves from the shared anonymous budget to its own). Returns false,
   * and fails the stream, if what is held does not fit.
   */
  public boolean limitBuffered(int maxBuffered, ReassemblyBudget budget) {
    if (maxBuffered < 1 || budget == null) {
      throw new IllegalArgumentException("a positive bound and a budget are required");
    }
    long held = buffered;
    this.budget.release(held);
    this.budget = budget;
    this.maxBuffered = maxBuffered;
    if (held > maxBuffered || !budget.tryReserve(held)) {
      // Nothing is reserved in the new budget: drop the messages without returning bytes to it.
      buffered = 0;
      for (ChunkStream cs : streams.values()) {
        cs.payload = null;
        cs.filled = 0;
      }
      overLimit(
          "holds " + held + " bytes of partial messages, over the limit of " + maxBuffered, 0);
      return false;
    }
    return true;
  }

  /** Bytes held now in partly received messages. */
  public long bufferedBytes() {
    return buffered;
  }

  /** Drops every partly received message and returns its bytes to the budget. Idempotent. */
  public void releaseAll() {
    dropPartialMessages();
  }

  private void dropPartialMessages() {
    for (ChunkStream cs : streams.values()) {
      cs.payload = null;
      cs.filled = 0;
    }
    budget.release(buffered);
    buffered = 0;
  }

  /** Total bytes passed to {@link #decode}, the basis of RTMP 5.4.3 acknowledgements. */
  public long bytesReceived() {
    return bytesReceived;
  }

  /** The incoming maximum chunk size currently in force. */
  public int chunkSize() {
    return chunkSize;
  }

  /** True once the stream was found malformed. */
  public boolean failed() {
    return state == State.FAILED;
  }

  /** Consumes {@code bytes[offset, offset+length)} and returns the messages they complete. */
  public RtmpDecodeResult decode(byte[] bytes, int offset, int length) {
    if (bytes == null || offset < 0 || length < 0 || offset > bytes.length - length) {
      return new RtmpDecodeResult(
          List.of(), "range [" + offset + ", +" + length + ") is outside the buffer");
    }
    if (state == State.FAILED) {
      return new RtmpDecodeResult(List.of(), error);
    }
    bytesReceived += length;
    List<RtmpMessage> out = new ArrayList<>();
    int p = offset;
    int end = offset + length;
    while (p < end && state != State.FAILED) {
      switch (state) {
        case BASIC_HEADER -> p = readBasicHeader(bytes, p, end, out);
        case MESSAGE_HEADER -> p = readMessageHeader(bytes, p, end, out);
        case EXTENDED_TIMESTAMP -> p = readExtendedTimestamp(bytes, p, end, out);
        case PAYLOAD -> p = readPayload(bytes, p, end, out);
        case FAILED -> p = end;
      }
    }
    return new RtmpDecodeResult(out, error);
  }

  private int fill(byte[] bytes, int p, int end) {
    int n = Math.min(scratchNeed - scratchFill, end - p);
    System.arraycopy(bytes, p, scratch, scratchFill, n);
    scratchFill += n;
    return p + n;
  }

  private int readBasicHeader(byte[] bytes, int p, int end, List<RtmpMessage> out) {
    if (scratchFill == 0) {
      int first = bytes[p] & 0xFF;
      // RTMP 5.3.1.1: csid 0 means a 2-byte form, 1 a 3-byte form, 2..63 the id itself.
      int low = first & 0x3F;
      scratchNeed = low == 0 ? 2 : low == 1 ? 3 : 1;
    }
    p = fill(bytes, p, end);
    if (scratchFill < scratchNeed) {
      return p;
    }
    format = (scratch[0] & 0xFF) >>> 6;
    int low = scratch[0] & 0x3F;
    int csid;
    if (low == 0) {
      // RTMP 5.3.1.1: 2-byte form, ids 64..319 as second byte + 64.
      csid = (scratch[1] & 0xFF) + 64;
    } else if (low == 1) {
      // RTMP 5.3.1.1: 3-byte form, ids 64..65599 as third byte * 256 + second byte + 64.
      csid = (scratch[2] & 0xFF) * 256 + (scratch[1] & 0xFF) + 64;
    } else {
      csid = low;
    }
    ChunkStream cs = streams.get(csid);
    if (cs == null) {
      if (format != 0) {
        // RTMP 5.3.1.2.1: type 0 chunks MUST be used at the start of a chunk stream.
        return fail("chunk stream " + csid + " starts with a type " + format + " header", end);
      }
      if (streams.size() >= maxChunkStreams) {
        return fail("more than " + maxChunkStreams + " chunk streams", end);
      }
      cs = new ChunkStream(csid);
      streams.put(csid, cs);
    }
    current = cs;
    scratchFill = 0;
    scratchNeed = MESSAGE_HEADER_SIZE[format];
    state = State.MESSAGE_HEADER;
    // A type 3 chunk has no message header; settle it now so a zero-length message is not held
    // back.
    return scratchNeed == 0 ? readMessageHeader(bytes, p, end, out) : p;
  }

  private int readMessageHeader(byte[] bytes, int p, int end, List<RtmpMessage> out) {
    p = fill(bytes, p, end);
    if (scratchFill < scratchNeed) {
      return p;
    }
    ChunkStream cs = current;
    if (format != 3 && cs.messageInProgress()) {
      // RTMP 5.3.1.2: only type 3 chunks continue a message; a fuller header mid-message is
      // corrupt.
      return fail(
          "type " + format + " header on chunk stream " + cs.id + " while a message is incomplete",
          end);
    }
    long timestampField = 0;
    if (format <= 2) {
      // RTMP 5.3.1.2.1-3: timestamp (type 0) or timestamp delta (types 1, 2), 3 bytes.
      timestampField = u24(0);
      cs.extendedTimestamp = timestampField == TIMESTAMP_EXTENDED;
    }
    if (format <= 1) {
      // RTMP 5.3.1.2.1-2: message length (3 bytes) and type id (1 byte).
      cs.messageLength = (int) u24(3);
      cs.typeId = scratch[6] & 0xFF;
    }
    if (format == 0) {
      // RTMP 5.3.1.2.1: message stream id, 4 bytes little-endian.
      cs.messageStreamId =
          (scratch[7] & 0xFF)
              | ((scratch[8] & 0xFF) << 8)
              | ((scratch[9] & 0xFF) << 16)
              | ((scratch[10] & 0xFF) << 24);
    }
    scratchFill = 0;
    if (cs.extendedTimestamp) {
      // RTMP 5.3.1.3: the 3-byte field holds 0xFFFFFF and the value follows in 4 bytes. Type 3
      // chunks of a stream whose last header did so carry the 4 bytes as well, as FFmpeg and
      // librtmp send them.
      scratchNeed = 4;
      state = State.EXTENDED_TIMESTAMP;
      return p;
    }
    return startChunk(timestampField, p, end, out);
  }

  private int readExtendedTimestamp(byte[] bytes, int p, int end, List<RtmpMessage> out) {
    p = fill(bytes, p, end);
    if (scratchFill < scratchNeed) {
      return p;
    }
    long extended = (u24(0) << 8) | (scratch[3] & 0xFF);
    scratchFill = 0;
    // A type 3 chunk repeats the value of the header it follows; startChunk ignores it then.
    return startChunk(extended, p, end, out);
  }

  /** Applies the header just read: either continues the message in progress or starts one. */
  private int startChunk(long timestampValue, int p, int end, List<RtmpMessage> out) {
    ChunkStream cs = current;
    if (format == 3 && cs.messageInProgress()) {
      // RTMP 5.3.1.2.4: a type 3 chunk continues the message in progress.
      return beginPayload(cs, p);
    }
    switch (format) {
      case 0 -> {
        // RTMP 5.3.1.2.1: absolute timestamp. RTMP 5.3.1.2.4: a type 3 chunk that follows
        // a type 0 chunk uses that timestamp as its delta.
        cs.timestamp = timestampValue;
        cs.timestampDelta = timestampValue;
      }
      case 1, 2 -> {
        // RTMP 5.3.1.2.2-3: delta from the previous message of this chunk stream.
        cs.timestampDelta = timestampValue;
        cs.timestamp = (cs.timestamp + timestampValue) & 0xFFFFFFFFL;
      }
      default -> // RTMP 5.3.1.2.4: a new message on type 3 repeats the previous delta.
          cs.timestamp = (cs.timestamp + cs.timestampDelta) & 0xFFFFFFFFL;
    }
    if (cs.messageLength > maxMessageSize) {
      return fail(
          "message of "
              + cs.messageLength
              + " bytes on chunk stream "
              + cs.id
              + " exceeds the limit of "
              + maxMessageSize,
          end);
    }
    if (cs.messageLength > maxBuffered) {
      return overLimit(
          "message of "
              + cs.messageLength
              + " bytes on chunk stream "
              + cs.id
              + " exceeds this connection's limit of "
              + maxBuffered
              + " buffered bytes",
          end);
    }
    // The buffer grows as the bytes arrive (readPayload): a header alone costs nothing.
    cs.payload = EMPTY;
    cs.filled = 0;
    if (cs.messageLength == 0) {
      state = State.BASIC_HEADER;
      complete(cs, out);
      return state == State.FAILED ? end : p;
    }
    return beginPayload(cs, p);
  }

  private int beginPayload(ChunkStream cs, int p) {
    // RTMP 5.3.1: each chunk carries at most one chunk size of the message's remaining bytes.
    payloadLeftInChunk = Math.min(chunkSize, cs.messageLength - cs.filled);
    state = State.PAYLOAD;
    return p;
  }

  private int readPayload(byte[] bytes, int p, int end, List<RtmpMessage> out) {
    ChunkStream cs = current;
    int n = Math.min(payloadLeftInChunk, end - p);
    if (cs.filled + n > cs.payload.length && !grow(cs, cs.filled + n)) {
      return end;
    }
    System.arraycopy(bytes, p, cs.payload, cs.filled, n);
    cs.filled += n;
    payloadLeftInChunk -= n;
    p += n;
    if (payloadLeftInChunk == 0) {
      state = State.BASIC_HEADER;
      if (cs.filled == cs.messageLength) {
        complete(cs, out);
      }
    }
    return state == State.FAILED ? end : p;
  }

  /** Grows the message's buffer to hold at least {@code needed} bytes, within both bounds. */
  private boolean grow(ChunkStream cs, int needed) {
    int capacity =
        (int)
            Math.min(
                cs.messageLength, Math.max(needed, Math.max(MIN_CAPACITY, 2L * cs.payload.length)));
    int more = capacity - cs.payload.length;
    if (buffered + more > maxBuffered) {
      overLimit(
          "partial messages would hold "
              + (buffered + more)
              + " bytes, over this connection's limit of "
              + maxBuffered,
          0);
      return false;
    }
    if (!budget.tryReserve(more)) {
      overLimit(
          "the server's budget for partial messages is used up (" + budget.reserved() + ")", 0);
      return false;
    }
    buffered += more;
    cs.payload = java.util.Arrays.copyOf(cs.payload, capacity);
    return true;
  }

  private void complete(ChunkStream cs, List<RtmpMessage> out) {
    // The buffer reached exactly the declared length (grow never passes it); the message now
    // belongs to the caller, whose own bounds apply.
    buffered -= cs.payload.length;
    budget.release(cs.payload.length);
    RtmpMessage m = new RtmpMessage(cs.typeId, cs.timestamp, cs.messageStreamId, cs.id, cs.payload);
    cs.payload = null;
    cs.filled = 0;
    out.add(m);
    applyControl(m);
  }

  private void applyControl(RtmpMessage m) {
    // RTMP 5.4 says control messages travel on chunk stream 2, message stream 0, but the peer's
    // encoder switches chunk size whatever ids it used, so ours must too.
    byte[] b = m.payload();
    if (m.typeId() == RtmpMessage.SET_CHUNK_SIZE) {
      if (b.length < 4) {
        fail("Set Chunk Size payload of " + b.length + " bytes", 0);
        return;
      }
      long size = u32(b);
      // RTMP 5.4.1: bit 0 MUST be zero; valid sizes are 1 to 2147483647.
      if (size == 0 || size > 0x7FFFFFFFL) {
        fail("Set Chunk Size " + size + " outside 1..2147483647", 0);
        return;
      }
      chunkSize = (int) size;
    } else if (m.typeId() == RtmpMessage.ABORT) {
      if (b.length < 4) {
        fail("Abort payload of " + b.length + " bytes", 0);
        return;
      }
      // RTMP 5.4.2: discard the partially received message of the given chunk stream.
      ChunkStream aborted = streams.get((int) u32(b));
      if (aborted != null && aborted.payload != null) {
        buffered -= aborted.payload.length;
        budget.release(aborted.payload.length);
        aborted.payload = null;
        aborted.filled = 0;
      }
    }
  }

  private int fail(String reason, int end) {
    if (state != State.FAILED) {
      // A failed stream is never read again: what it held goes back now, not at close.
      state = State.FAILED;
      dropPartialMessages();
    }
    error = "RTMP chunk stream malformed: " + reason;
    return end;
  }

  /** Fails for a memory bound rather than for bad syntax; the message says which. */
  private int overLimit(String reason, int end) {
    fail(reason, end);
    error = "RTMP chunk stream over its memory limit: " + reason;
    return end;
  }

  private long u24(int at) {
    return ((scratch[at] & 0xFFL) << 16)
        | ((scratch[at + 1] & 0xFF) << 8)
        | (scratch[at + 2] & 0xFF);
  }

  private static long u32(byte[] b) {
    return ((b[0] & 0xFFL) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
  }
}
