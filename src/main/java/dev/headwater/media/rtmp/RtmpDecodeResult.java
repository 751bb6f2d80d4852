package dev.headwater.media.rtmp;

import java.util.List;

/**
 * What one {@link RtmpChunkDecoder#decode} call produced: the messages completed by these bytes, in
 * order, and, if the stream turned out to be malformed, why. Messages completed before the fault
 * are still returned; after a fault the decoder yields nothing more.
 *
 * @param messages complete messages in arrival order
 * @param error null while the stream is well formed, else the reason it is not
 */
public record RtmpDecodeResult(List<RtmpMessage> messages, String error) {

  public RtmpDecodeResult {
    messages = List.copyOf(messages);
  }

  public boolean failed() {
    return error != null;
  }
}
