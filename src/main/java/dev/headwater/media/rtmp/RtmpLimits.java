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
 */
public record RtmpLimits(
    int maxMessageSize,
    int maxChunkStreams,
    int outgoingChunkSize,
    int windowAckSize,
    int maxQueuedMediaBytes) {

  /** Default for {@link #maxQueuedMediaBytes}: several seconds of a high-bitrate stream. */
  public static final int DEFAULT_MAX_QUEUED_MEDIA_BYTES = 16 * 1024 * 1024;

  public RtmpLimits {
    if (maxMessageSize < 1
        || maxChunkStreams < 1
        || outgoingChunkSize < 1
        || windowAckSize < 1
        || maxQueuedMediaBytes < 0) {
      throw new IllegalArgumentException("RTMP limits must be positive");
    }
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

  /** 8 MiB messages, 64 chunk streams, 4096-byte chunks, 2.5 MB window. */
  public static RtmpLimits defaults() {
    return new RtmpLimits(8 * 1024 * 1024, 64, 4096, 2_500_000);
  }
}
