package dev.headwater.media.avc;

import java.util.Arrays;
import java.util.Locale;

/**
 * The AVCDecoderConfigurationRecord (ISO/IEC 14496-15 5.3.3.1) carried by an FLV/RTMP AVC sequence
 * header. Only the first SPS and PPS are kept: publishers send exactly one of each.
 *
 * @param profile AVCProfileIndication
 * @param compatibility profile_compatibility
 * @param level AVCLevelIndication
 * @param nalUnitLengthSize lengthSizeMinusOne + 1: bytes of the length prefix of each NAL unit
 * @param sps the first sequence parameter set NAL unit (header byte included)
 * @param pps the first picture parameter set NAL unit, or an empty array if none
 */
public record AvcDecoderConfig(
    int profile, int compatibility, int level, int nalUnitLengthSize, byte[] sps, byte[] pps) {

  /** FLV E.4.3.1 VIDEODATA byte plus E.4.3.2 AVCPacketType and CompositionTime. */
  private static final int FLV_AVC_HEADER_SIZE = 5;

  /** RFC 6381 3.3: "avc1." then profile, constraint byte and level as six hex digits. */
  public String codecString() {
    return String.format(Locale.ROOT, "avc1.%02X%02X%02X", profile, compatibility, level);
  }

  /** Parses the record from an FLV video tag body that is an AVC sequence header. */
  public static AvcResult<AvcDecoderConfig> fromFlvVideoTag(byte[] tagData) {
    if (tagData == null || tagData.length < FLV_AVC_HEADER_SIZE) {
      return new AvcResult.Error<>("video tag too short for an AVC header");
    }
    // FLV E.4.3.1 CodecID 7 and E.4.3.2 AVCPacketType 0.
    if ((tagData[0] & 0x0F) != 7 || tagData[1] != 0) {
      return new AvcResult.Error<>("video tag is not an AVC sequence header");
    }
    return parse(tagData, FLV_AVC_HEADER_SIZE, tagData.length - FLV_AVC_HEADER_SIZE);
  }

  /** Parses the record itself (the tag body after its 5-byte FLV video header). */
  public static AvcResult<AvcDecoderConfig> parse(byte[] b, int offset, int length) {
    if (b == null || offset < 0 || length < 0 || offset > b.length - length) {
      return new AvcResult.Error<>("range outside the buffer");
    }
    int end = offset + length;
    // 14496-15 5.3.3.1.1: version, three profile/level bytes, length size, SPS count.
    if (length < 6) {
      return new AvcResult.Error<>("configuration record of " + length + " bytes is too short");
    }
    if (b[offset] != 1) {
      return new AvcResult.Error<>("configurationVersion " + (b[offset] & 0xFF) + " is not 1");
    }
    int profile = b[offset + 1] & 0xFF;
    int compatibility = b[offset + 2] & 0xFF;
    int level = b[offset + 3] & 0xFF;
    int nalUnitLengthSize = (b[offset + 4] & 0x03) + 1;
    int spsCount = b[offset + 5] & 0x1F;
    if (spsCount == 0) {
      return new AvcResult.Error<>("configuration record has no SPS");
    }
    int p = offset + 6;
    byte[] sps = null;
    for (int i = 0; i < spsCount; i++) {
      if (end - p < 2) {
        return new AvcResult.Error<>("truncated SPS length");
      }
      int n = ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
      p += 2;
      if (end - p < n) {
        return new AvcResult.Error<>("truncated SPS of " + n + " bytes");
      }
      if (sps == null) {
        sps = Arrays.copyOfRange(b, p, p + n);
      }
      p += n;
    }
    byte[] pps = new byte[0];
    if (p < end) {
      int ppsCount = b[p++] & 0xFF;
      if (ppsCount > 0) {
        if (end - p < 2) {
          return new AvcResult.Error<>("truncated PPS length");
        }
        int n = ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
        p += 2;
        if (end - p < n) {
          return new AvcResult.Error<>("truncated PPS of " + n + " bytes");
        }
        pps = Arrays.copyOfRange(b, p, p + n);
      }
    }
    return new AvcResult.Ok<>(
        new AvcDecoderConfig(profile, compatibility, level, nalUnitLengthSize, sps, pps));
  }

  /** Convenience: the picture size and profile from the first SPS. */
  public AvcResult<AvcSps> parseSps() {
    return AvcSps.parse(sps);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AvcDecoderConfig c
        && c.profile == profile
        && c.compatibility == compatibility
        && c.level == level
        && c.nalUnitLengthSize == nalUnitLengthSize
        && Arrays.equals(c.sps, sps)
        && Arrays.equals(c.pps, pps);
  }

  @Override
  public int hashCode() {
    return ((profile * 31 + compatibility) * 31 + level) * 31
        + Arrays.hashCode(sps) * 31
        + Arrays.hashCode(pps);
  }

  @Override
  public String toString() {
    return "AvcDecoderConfig["
        + codecString()
        + ", nalUnitLengthSize="
        + nalUnitLengthSize
        + ", sps="
        + sps.length
        + " bytes, pps="
        + pps.length
        + " bytes]";
  }
}
