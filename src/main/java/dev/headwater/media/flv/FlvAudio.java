package dev.headwater.media.flv;

/** Reads the AUDIODATA header (FLV spec E.4.2.1) at the start of an audio tag body. */
public final class FlvAudio {

  /** E.4.2.1 SoundFormat 10: AAC. */
  public static final int FORMAT_AAC = 10;

  private FlvAudio() {}

  /** The SoundFormat nibble, or -1 for an empty body. */
  public static int soundFormat(byte[] data) {
    return data.length == 0 ? -1 : (data[0] >>> 4) & 0x0F;
  }

  /** E.4.2.2: AACPacketType 0 carries the AudioSpecificConfig. */
  public static boolean isAacSequenceHeader(byte[] data) {
    return soundFormat(data) == FORMAT_AAC && data.length >= 2 && data[1] == 0;
  }
}
