package dev.headwater.bus;

import dev.headwater.media.flv.FlvTag;
import java.util.Map;

/**
 * Where an accepted publisher's media goes: a handle on the stream owner, handed to ingest in the
 * {@link PublishReply}. Called on the publisher's event loop only; the implementation carries each
 * call over to the owner's context. The bytes in flight are bounded: while {@link
 * #writeQueueFull()} the connection pauses its socket (TCP pushes back on the publisher) until the
 * drain handler runs.
 */
public interface MediaSink {
  /** The publisher's onMetaData (width, height, codec ids, data rates). */
  void metadata(Map<String, Object> values);

  void write(FlvTag tag);

  boolean writeQueueFull();

  /**
   * Runs on the publisher's event loop once the sink has room again after {@link
   * #writeQueueFull()}.
   */
  void drainHandler(Runnable onDrain);

  /**
   * The publisher left (unpublished, disconnected, broke the protocol). The stream may wait for it
   * to come back (reconnect grace); nothing more is written to this sink.
   */
  void end(String reason);
}
