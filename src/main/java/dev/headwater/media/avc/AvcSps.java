package dev.headwater.media.avc;

import java.util.Set;

/**
 * The fields of an H.264 sequence parameter set (ISO/IEC 14496-10 7.3.2.1.1) that an origin needs:
 * profile, level and the displayed picture size after cropping.
 *
 * @param profileIdc profile_idc, e.g. 66 baseline, 77 main, 100 high
 * @param constraintFlags the byte holding constraint_set0..5_flag
 * @param levelIdc level_idc, ten times the level number
 * @param chromaFormatIdc chroma_format_idc, 1 (4:2:0) when the profile does not signal it
 * @param width displayed width in luma samples
 * @param height displayed height in luma samples
 */
public record AvcSps(
    int profileIdc, int constraintFlags, int levelIdc, int chromaFormatIdc, int width, int height) {

  /** 7.3.2.1.1: only these profiles carry chroma_format_idc, bit depths and scaling matrices. */
  private static final Set<Integer> HIGH_PROFILES =
      Set.of(100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135);

  private static final int NAL_TYPE_SPS = 7;

  /** Parses an SPS NAL unit, header byte included, still carrying emulation prevention bytes. */
  public static AvcResult<AvcSps> parse(byte[] nal, int offset, int length) {
    if (nal == null || offset < 0 || length < 0 || offset > nal.length - length) {
      return new AvcResult.Error<>("range outside the buffer");
    }
    if (length < 4) {
      return new AvcResult.Error<>("SPS of " + length + " bytes is too short");
    }
    if ((nal[offset] & 0x1F) != NAL_TYPE_SPS) {
      return new AvcResult.Error<>("NAL unit type " + (nal[offset] & 0x1F) + " is not an SPS");
    }
    try {
      return new AvcResult.Ok<>(read(new BitReader(Rbsp.unescape(nal, offset + 1, length - 1))));
    } catch (BitReader.Truncated e) {
      return new AvcResult.Error<>(e.getMessage());
    }
  }

  public static AvcResult<AvcSps> parse(byte[] nal) {
    return parse(nal, 0, nal == null ? 0 : nal.length);
  }

  private static AvcSps read(BitReader r) throws BitReader.Truncated {
    int profileIdc = r.u(8);
    int constraintFlags = r.u(8);
    int levelIdc = r.u(8);
    r.ue(); // seq_parameter_set_id
    int chromaFormatIdc = 1;
    boolean separateColourPlane = false;
    if (HIGH_PROFILES.contains(profileIdc)) {
      chromaFormatIdc = r.ue();
      if (chromaFormatIdc > 3) {
        throw new BitReader.Truncated("chroma_format_idc " + chromaFormatIdc + " out of range");
      }
      if (chromaFormatIdc == 3) {
        separateColourPlane = r.flag();
      }
      r.ue(); // bit_depth_luma_minus8
      r.ue(); // bit_depth_chroma_minus8
      r.flag(); // qpprime_y_zero_transform_bypass_flag
      if (r.flag()) { // seq_scaling_matrix_present_flag
        int lists = chromaFormatIdc != 3 ? 8 : 12;
        for (int i = 0; i < lists; i++) {
          if (r.flag()) { // seq_scaling_list_present_flag[i]
            skipScalingList(r, i < 6 ? 16 : 64);
          }
        }
      }
    }
    r.ue(); // log2_max_frame_num_minus4
    int picOrderCntType = r.ue();
    if (picOrderCntType == 0) {
      r.ue(); // log2_max_pic_order_cnt_lsb_minus4
    } else if (picOrderCntType == 1) {
      r.flag(); // delta_pic_order_always_zero_flag
      r.se(); // offset_for_non_ref_pic
      r.se(); // offset_for_top_to_bottom_field
      int cycle = r.ue();
      if (cycle > 255) {
        // 7.4.2.1.1: num_ref_frames_in_pic_order_cnt_cycle is at most 255.
        throw new BitReader.Truncated(
            "num_ref_frames_in_pic_order_cnt_cycle " + cycle + " out of range");
      }
      for (int i = 0; i < cycle; i++) {
        r.se(); // offset_for_ref_frame[i]
      }
    }
    r.ue(); // max_num_ref_frames
    r.flag(); // gaps_in_frame_num_value_allowed_flag
    long widthInMbs = r.ue() + 1L;
    long heightInMapUnits = r.ue() + 1L;
    boolean frameMbsOnly = r.flag();
    if (!frameMbsOnly) {
      r.flag(); // mb_adaptive_frame_field_flag
    }
    r.flag(); // direct_8x8_inference_flag
    long cropLeft = 0;
    long cropRight = 0;
    long cropTop = 0;
    long cropBottom = 0;
    if (r.flag()) { // frame_cropping_flag
      cropLeft = r.ue();
      cropRight = r.ue();
      cropTop = r.ue();
      cropBottom = r.ue();
    }
    // 7.4.2.1.1 (7-19..7-22): crop units depend on chroma subsampling and field coding.
    int frameHeightFactor = frameMbsOnly ? 1 : 2;
    int chromaArrayType = separateColourPlane ? 0 : chromaFormatIdc;
    long cropUnitX;
    long cropUnitY;
    if (chromaArrayType == 0) {
      cropUnitX = 1;
      cropUnitY = frameHeightFactor;
    } else {
      int subWidthC = chromaFormatIdc == 3 ? 1 : 2;
      int subHeightC = chromaFormatIdc == 1 ? 2 : 1;
      cropUnitX = subWidthC;
      cropUnitY = (long) subHeightC * frameHeightFactor;
    }
    long width = widthInMbs * 16 - cropUnitX * (cropLeft + cropRight);
    long height = heightInMapUnits * 16 * frameHeightFactor - cropUnitY * (cropTop + cropBottom);
    if (width <= 0 || height <= 0 || width > 65535 || height > 65535) {
      throw new BitReader.Truncated("implausible picture size " + width + "x" + height);
    }
    return new AvcSps(
        profileIdc, constraintFlags, levelIdc, chromaFormatIdc, (int) width, (int) height);
  }

  /** 7.3.2.1.1.1: only the bit positions matter here, not the matrix values. */
  private static void skipScalingList(BitReader r, int size) throws BitReader.Truncated {
    int lastScale = 8;
    int nextScale = 8;
    for (int j = 0; j < size; j++) {
      if (nextScale != 0) {
        int deltaScale = r.se();
        nextScale = (lastScale + deltaScale + 256) % 256;
      }
      lastScale = nextScale == 0 ? lastScale : nextScale;
    }
  }
}
