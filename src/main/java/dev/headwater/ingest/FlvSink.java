package dev.headwater.ingest;

import dev.headwater.media.flv.FlvTag;
import io.vertx.core.Future;
import java.util.Map;

/**
 * Where an accepted publisher's media goes. Called on the publisher's event loop only. The sink bounds
 * what it queues: when {@link #writeQueueFull()} the session pauses its socket (TCP backpressure to the
 * publisher) until the drain handler runs.
 */
public interface FlvSink {
  void metadata(Map<String, Object> values);

  void write(FlvTag tag);

  boolean writeQueueFull();

  void drainHandler(Runnable onDrain);

  /** The publisher left (or broke the protocol); completes when the stream has ended cleanly. */
  Future<Void> end(String reason);

  /**
   * Completes when the stream has ended for any reason, including the sink's own (unsupported codec,
   * encoder gave up); the session then closes the publisher's connection.
   */
  Future<Void> ended();
}
