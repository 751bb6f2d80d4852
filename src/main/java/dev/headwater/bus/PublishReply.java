package dev.headwater.bus;

/**
 * Reply to {@link Addresses#STREAM_PUBLISH}: the sink to write the publisher's media to, or a
 * refusal.
 *
 * @param refusalCode the NetStream status to send back (e.g. NetStream.Publish.BadName); null when
 *     accepted
 */
public record PublishReply(MediaSink sink, String refusalCode, String reason) {
  /**
   * The name cannot be published: taken, not allowed, or a wrong key (RTMP status
   * NetStream.Publish.BadName).
   */
  public static final String BAD_NAME = "NetStream.Publish.BadName";

  /** The server will not take the stream now (a limit, or it could not start it). */
  public static final String DENIED = "NetStream.Publish.Denied";

  public static PublishReply accepted(MediaSink sink) {
    return new PublishReply(sink, null, null);
  }

  public static PublishReply refused(String code, String reason) {
    return new PublishReply(null, code, reason);
  }

  public boolean isAccepted() {
    return sink != null;
  }
}
