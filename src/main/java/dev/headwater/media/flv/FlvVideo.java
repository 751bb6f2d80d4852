package dev.headwater.media.flv;

/**
 * Reads the VIDEODATA header (FLV spec E.4.3.1) at the start of a video tag body. Enhanced RTMP
 * (the IsExHeader bit) is not interpreted: such tags report whatever the low nibble holds, which
 * will not be {@link #CODEC_AVC}, so callers that accept only H.264 reject them.
 */
public final class FlvVideo {

  /** E.4.3.1 CodecID 7: AVC (H.264). */
  public static final int CODEC_AVC = 7;

  /** E.4.3.1 FrameType 1: key frame. */
  public static final int FRAME_KEY = 1;

  private FlvVideo() {}

  /** The CodecID nibble, or -1 for an empty body. */
  public static int codecId(byte[] data) {
    return data.length == 0 ? -1 : data[0] & 0x0F;
  }

  /** The FrameType nibble, or -1 for an empty body. */
  public static int frameType(byte[] data) {
    return data.length == 0 ? -1 : (data[0] >>> 4) & 0x0F;
  }

  public static boolean isKeyframe(byte[] data) {
    return frameType(data) == FRAME_KEY;
  }

  /** E.4.3.2: AVCPacketType 0 carries the AVCDecoderConfigurationRecord. */
  public static boolean isAvcSequenceHeader(byte[] data) {
    return codecId(data) == CODEC_AVC && data.length >= 2 && data[1] == 0;
  }

  /** E.4.3.2 AVCPacketType: 0 sequence header, 1 NALUs, 2 end of sequence; -1 if absent. */
  public static int avcPacketType(byte[] data) {
    return codecId(data) == CODEC_AVC && data.length >= 2 ? data[1] & 0xFF : -1;
  }

  /** E.4.3.2 CompositionTime: signed 24-bit offset (pts - dts) in ms; 0 if absent. */
  public static int compositionTimeMs(byte[] data) {
    if (codecId(data) != CODEC_AVC || data.length < 5) {
      return 0;
    }
    int v = ((data[2] & 0xFF) << 16) | ((data[3] & 0xFF) << 8) | (data[4] & 0xFF);
    return (v << 8) >> 8;
  }
}
