package dev.headwater.media.hls;

/** The {@code _HLS_skip} Delivery Directive (§6.2.5.1). */
public enum SkipRequest {
  /** No delta update requested (absent or unrecognised value). */
  NO,
  /** {@code _HLS_skip=YES}: skip old Media Segments. */
  YES,
  /** {@code _HLS_skip=v2}: skip old Media Segments and old EXT-X-DATERANGE tags. */
  V2
}
