package dev.headwater.media.rtmp;

/**
 * What one {@link RtmpHandshake#feed} call produced.
 *
 * @param toSend bytes to write to the client now (empty if none)
 * @param done the handshake is complete: C2 has been received
 * @param leftover bytes that followed C2 in this call, the start of the chunk stream
 * @param error null unless the client's bytes were refused
 */
public record RtmpHandshakeResult(byte[] toSend, boolean done, byte[] leftover, String error) {

  public boolean failed() {
    return error != null;
  }
}
