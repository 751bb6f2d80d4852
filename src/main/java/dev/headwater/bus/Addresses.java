package dev.headwater.bus;

/**
 * Every event-bus address of Headwater, with the payload each one carries. Payloads are records sent
 * in-process only (see {@link LocalCodec}); media bytes never travel on the bus.
 */
public final class Addresses {
  private Addresses() {}

  /** A publisher was accepted and its encoder is starting. Payload: {@link StreamEvent}. */
  public static final String STREAM_PUBLISHED = "headwater.stream.published";

  /** A stream ended (publisher left, or the encoder gave up). Payload: {@link StreamEvent}. */
  public static final String STREAM_ENDED = "headwater.stream.ended";

  /** The encoder of a stream changed state (started, exited, restarting). Payload: {@link EncoderEvent}. */
  public static final String ENCODER_STATE = "headwater.encoder.state";

  /**
   * A stream's timeline changed: a part, a segment, an init section or the end was published.
   * Published (to every HTTP verticle instance) after the new snapshot is visible. Payload: {@link TimelineEvent}.
   */
  public static final String TIMELINE_UPDATED = "headwater.timeline.updated";
}
