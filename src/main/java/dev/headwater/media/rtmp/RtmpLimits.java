package dev.headwater.media.rtmp;

/**
 * Bounds and sizes for one RTMP connection.
 *
 * @param maxMessageSize largest incoming message in bytes (RTMP lengths are 24-bit anyway)
 * @param maxChunkStreams most distinct incoming chunk stream ids
 * @param outgoingChunkSize chunk size announced to and used towards the client
 * @param windowAckSize window announced to the client (RTMP 5.4.4), and our own ack window until
 *     the client announces one
 * @param maxQueuedMediaBytes media and metadata held while the caller decides on a publish;
 *     exceeding it fails the session
 * @param maxPendingBytes bytes of partly received messages a connection may hold before its publish
 *     is authorized (a {@code connect} or {@code publish} command is a few hundred bytes);
 *     afterwards the bound is {@link #maxPublishingBytes()}
 */
public record RtmpLimits(
    int maxMessageSize,
    int maxChunkStreams,
    int outgoingChunkSize,
    int windowAckSize,
    int maxQueuedMediaBytes,
    int maxPendingBytes) {

  /** Default for {@link #maxQueuedMediaBytes}: several seconds of a high-bitrate stream. */
  public static final int DEFAULT_MAX_QUEUED_MEDIA_BYTES = 16 * 1024 * 1024;

  /** Default for {@link #maxPendingBytes}: room for any real client's commands. */
  public static final int DEFAULT_MAX_PENDING_BYTES = 64 * 1024;

  public RtmpLimits {
    if (maxMessageSize < 1
        || maxChunkStreams < 1
        || outgoingChunkSize < 1
        || windowAckSize < 1
        || maxQueuedMediaBytes < 0
        || maxPendingBytes < 1) {
      throw new IllegalArgumentException("RTMP limits must be positive");
    }
  }

  public RtmpLimits(
      int maxMessageSize,
      int maxChunkStreams,
      int outgoingChunkSize,
      int windowAckSize,
      int maxQueuedMediaBytes) {
    this(
        maxMessageSize,
        maxChunkStreams,
        outgoingChunkSize,
        windowAckSize,
        maxQueuedMediaBytes,
        DEFAULT_MAX_PENDING_BYTES);
  }

  public RtmpLimits(
      int maxMessageSize, int maxChunkStreams, int outgoingChunkSize, int windowAckSize) {
    this(
        maxMessageSize,
        maxChunkStreams,
        outgoingChunkSize,
        windowAckSize,
        DEFAULT_MAX_QUEUED_MEDIA_BYTES);
  }

  /**
   * Bytes of partly received messages an authorized publisher may hold: its video and its audio
   * message in progress at once, each up to {@link #maxMessageSize}.
   */
  public int maxPublishingBytes() {
    return (int) Math.min(Integer.MAX_VALUE, 2L * maxMessageSize);
  }

  /** 8 MiB messages, 64 chunk streams, 4096-byte chunks, 2.5 MB window. */
  public static RtmpLimits defaults() {
    return new RtmpLimits(8 * 1024 * 1024, 64, 4096, 2_500_000);
  }
}
