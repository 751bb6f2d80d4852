package dev.headwater.media.rtmp;

import dev.headwater.media.flv.FlvTag;
import java.util.Map;

/** What a {@link RtmpPublishSession} tells its caller, in the order it happened on the wire. */
public sealed interface RtmpEvent {

  /**
   * The client issued {@code publish}; the session now waits for {@link
   * RtmpPublishSession#acceptPublish} or {@link RtmpPublishSession#rejectPublish}.
   *
   * @param app the {@code app} property of {@code connect}, raw (may carry its own "?query")
   * @param streamName the publish name before any '?'
   * @param query what followed the first '?' of the publish name, or ""
   * @param tcUrl the {@code tcUrl} property of {@code connect}, or ""
   */
  record PublishRequested(String app, String streamName, String query, String tcUrl)
      implements RtmpEvent {}

  /** The {@code onMetaData} object, from {@code @setDataFrame} or a bare {@code onMetaData}. */
  record Metadata(Map<String, Object> values) implements RtmpEvent {}

  /** An audio (8) or video (9) message, as an FLV tag with the message timestamp. */
  record Media(FlvTag tag) implements RtmpEvent {}

  /**
   * The client stopped publishing ({@code FCUnpublish}, {@code deleteStream} or {@code
   * closeStream}).
   */
  record Unpublished() implements RtmpEvent {}

  /** A protocol error; the session is closed and the caller should close the socket. */
  record Failed(String reason) implements RtmpEvent {}
}
