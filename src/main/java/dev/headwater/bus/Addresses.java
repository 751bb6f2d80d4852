package dev.headwater.bus;

/**
 * Every event-bus address of Headwater, with the payload each one carries and who consumes it.
 * Payloads are records sent in-process only (see {@link LocalCodec}); media bytes never travel on
 * the bus. The one exception, the publish relay between origins of a cluster, has its addresses and
 * its JSON and Buffer payloads in {@code cluster.RelayAddresses}.
 */
public final class Addresses {
  private Addresses() {}

  /**
   * Ingest asks for a stream name (request-reply). Payload: {@link PublishRequest}; reply: {@link
   * PublishReply}, which carries the {@link MediaSink} the publisher's media goes to, or the
   * refusal. Consumer: the stream directory, the only one that claims names.
   */
  public static final String STREAM_PUBLISH = "headwater.stream.publish";

  /**
   * A stream's timeline changed: a part, a segment, an init section or the end was published.
   * Published (to every HTTP verticle instance) after the new snapshot is visible. Payload: {@link
   * TimelineEvent}. Consumers: the HTTP verticles, which wake the requests parked on it.
   */
  public static final String TIMELINE_UPDATED = "headwater.timeline.updated";

  /**
   * CMAF chunks joined a segment still being produced that a streaming response follows, and the
   * snapshot did not change (a change is told on {@link #TIMELINE_UPDATED}, which streaming
   * responses also follow). Payload: {@link TimelineEvent}. Consumers: the HTTP verticles, which
   * write the new chunks to the responses following that stream.
   */
  public static final String TIMELINE_CHUNK = "headwater.timeline.chunk";
}
