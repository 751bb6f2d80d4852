package dev.headwater.ingest;

import io.vertx.core.Future;

/**
 * Decides whether a publish request may go live and, if so, starts its pipeline. Fails with a
 * {@link PublishRefused} carrying the RTMP status code to send back.
 */
public interface PublishHandler {
  Future<FlvSink> publish(PublishRequest request);
}
