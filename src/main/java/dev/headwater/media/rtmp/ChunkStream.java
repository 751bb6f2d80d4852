package dev.headwater.media.rtmp;

/**
 * What the decoder remembers about one chunk stream between chunks: the last message header (so
 * that compressed headers of types 1, 2 and 3 can be completed, RTMP 5.3.1.2) and the message being
 * reassembled.
 */
final class ChunkStream {
  final int id;
  long timestamp;
  long timestampDelta;
  int messageLength;
  int typeId;
  int messageStreamId;

  /** The last type 0/1/2 header used the extended timestamp, so type 3 chunks carry one too. */
  boolean extendedTimestamp;

  byte[] payload;
  int filled;

  ChunkStream(int id) {
    this.id = id;
  }

  boolean messageInProgress() {
    return payload != null;
  }
}
