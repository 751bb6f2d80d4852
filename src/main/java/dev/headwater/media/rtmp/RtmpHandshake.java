package dev.headwater.media.rtmp;

import java.util.Arrays;

/**
 * Server side of the simple RTMP handshake (RTMP 5.2). States:
 *
 * <ul>
 *   <li>{@code AWAITING_C0}: expecting the version byte;
 *   <li>{@code AWAITING_C1}: collecting C1's 1536 bytes; once complete, S0, S1 and S2 are sent;
 *   <li>{@code AWAITING_C2}: skipping C2's 1536 bytes (nothing in it needs checking);
 *   <li>{@code DONE}: anything further is chunk stream data, returned as leftover;
 *   <li>{@code FAILED}: the client asked for a version we do not speak.
 * </ul>
 *
 * <p>S1 has a zero time, zero bytes 4..7 and filler derived from the constructor argument: the zero
 * bytes tell Flash-era clients (librtmp, FFmpeg) that this server does not use the digest
 * handshake, so they skip verifying S1. S2 echoes C1 unchanged, which is what every client that
 * checks S2 (librtmp warns, GStreamer rtmp2 compares) expects.
 */
public final class RtmpHandshake {

  enum State {
    AWAITING_C0,
    AWAITING_C1,
    AWAITING_C2,
    DONE,
    FAILED
  }

  /** RTMP 5.2.3-5.2.4: C1/S1/C2/S2 are 1536 bytes. */
  public static final int PACKET_SIZE = 1536;

  /** RTMP 5.2.2: the only version defined by the spec. */
  public static final int VERSION = 3;

  private static final byte[] NOTHING = new byte[0];

  private final byte[] filler;
  private final byte[] c1 = new byte[PACKET_SIZE];
  private State state = State.AWAITING_C0;
  private int c1Filled;
  private int c2Skipped;
  private String error;

  /**
   * @param random filler material for S1; used as is when at least 1528 bytes, otherwise stretched
   *     deterministically (no randomness source is used here)
   */
  public RtmpHandshake(byte[] random) {
    this.filler = stretch(random == null ? NOTHING : random, PACKET_SIZE - 8);
  }

  public boolean done() {
    return state == State.DONE;
  }

  /** Consumes client bytes; see {@link RtmpHandshakeResult}. */
  public RtmpHandshakeResult feed(byte[] bytes, int offset, int length) {
    if (bytes == null || offset < 0 || length < 0 || offset > bytes.length - length) {
      return new RtmpHandshakeResult(NOTHING, false, NOTHING, "range outside the buffer");
    }
    byte[] toSend = NOTHING;
    int p = offset;
    int end = offset + length;
    while (p < end && state != State.DONE && state != State.FAILED) {
      switch (state) {
        case AWAITING_C0 -> {
          int version = bytes[p++] & 0xFF;
          // RTMP 5.2.2: a server that does not recognise the client's version SHOULD
          // respond with 3; we cannot speak 6 (RTMPE) or anything else, so refuse.
          if (version != VERSION) {
            state = State.FAILED;
            error = "RTMP 5.2.2: unsupported handshake version " + version;
          } else {
            state = State.AWAITING_C1;
          }
        }
        case AWAITING_C1 -> {
          int n = Math.min(PACKET_SIZE - c1Filled, end - p);
          System.arraycopy(bytes, p, c1, c1Filled, n);
          c1Filled += n;
          p += n;
          if (c1Filled == PACKET_SIZE) {
            // RTMP 5.2.1: the server may send S2 once C1 is received.
            toSend = serverPackets();
            state = State.AWAITING_C2;
          }
        }
        case AWAITING_C2 -> {
          int n = Math.min(PACKET_SIZE - c2Skipped, end - p);
          c2Skipped += n;
          p += n;
          if (c2Skipped == PACKET_SIZE) {
            state = State.DONE;
          }
        }
        case DONE, FAILED -> p = end;
      }
    }
    byte[] leftover = state == State.DONE ? Arrays.copyOfRange(bytes, p, end) : NOTHING;
    return new RtmpHandshakeResult(toSend, state == State.DONE, leftover, error);
  }

  private byte[] serverPackets() {
    byte[] out = new byte[1 + 2 * PACKET_SIZE];
    // RTMP 5.2.2 S0: version. RTMP 5.2.3 S1: time (0 is allowed), zero, random data.
    out[0] = VERSION;
    System.arraycopy(filler, 0, out, 1 + 8, filler.length);
    // RTMP 5.2.4 S2: echoes C1's time and random data.
    System.arraycopy(c1, 0, out, 1 + PACKET_SIZE, PACKET_SIZE);
    return out;
  }

  /** Deterministic xorshift expansion so a short seed still gives non-repeating filler. */
  private static byte[] stretch(byte[] seed, int size) {
    if (seed.length >= size) {
      return Arrays.copyOf(seed, size);
    }
    long x = 0x9E3779B97F4A7C15L;
    for (byte b : seed) {
      x = (x ^ (b & 0xFF)) * 0x100000001B3L;
    }
    byte[] out = new byte[size];
    for (int i = 0; i < size; i++) {
      x ^= x << 13;
      x ^= x >>> 7;
      x ^= x << 17;
      out[i] = (byte) (x >>> 24);
    }
    return out;
  }
}
