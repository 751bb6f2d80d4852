package dev.headwater.media.isobmff;

import dev.headwater.media.Bytes;

/**
 * Reads the {@code prft} box (ISO/IEC 14496-12 8.16.5 ProducerReferenceTimeBox) that FFmpeg writes
 * in front of each fragment with {@code -write_prft wallclock}: the NTP wall-clock time at which
 * the fragment was written. Headwater uses it to measure fragment-written → part-servable delay.
 */
public final class ProducerReferenceTime {
  /** Seconds from the NTP epoch (1900) to the Unix epoch (1970). */
  private static final long NTP_UNIX_OFFSET = 2_208_988_800L;

  private ProducerReferenceTime() {}

  /**
   * The wall-clock time in Unix milliseconds of the first {@code prft} among the top-level boxes
   * before the {@code moof}, or -1 if there is none or it is malformed. Reads the fragment in
   * place.
   */
  public static long unixMillis(Bytes fragment) {
    int pos = 0;
    while (pos + 8 <= fragment.length()) {
      long size = u32(fragment, pos);
      int type = (int) u32(fragment, pos + 4);
      if (type == FourCc.MOOF || size < 8 || pos + size > fragment.length()) {
        return -1;
      }
      // 8.16.5: version(8) flags(24) reference_track_ID(32) ntp_timestamp(64) media_time(32|64)
      if (type == FourCc.PRFT && size >= 28) {
        long seconds = u32(fragment, pos + 16);
        long fraction = u32(fragment, pos + 20);
        return (seconds - NTP_UNIX_OFFSET) * 1000 + ((fraction * 1000) >>> 32);
      }
      pos += (int) size;
    }
    return -1;
  }

  private static long u32(Bytes b, int i) {
    return ((long) b.u8(i) << 24) | (b.u8(i + 1) << 16) | (b.u8(i + 2) << 8) | b.u8(i + 3);
  }
}
