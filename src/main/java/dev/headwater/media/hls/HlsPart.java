package dev.headwater.media.hls;

/**
 * One Partial Segment (§4.4.4.9) of a parent {@link HlsSegment}; its Part Index is its position in
 * the parent's part list.
 *
 * @param uri URI of the part, relative to the playlist
 * @param duration seconds; must not exceed the playlist's PART-TARGET once written (checked by
 *     {@link MediaPlaylist})
 * @param independent the part contains an independent frame (§4.4.4.9 SHOULD mark every such part)
 * @param gap the part is unavailable (§4.4.4.9 REQUIRES GAP=YES then)
 */
public record HlsPart(String uri, double duration, boolean independent, boolean gap) {

  public HlsPart {
    HlsText.quotable(uri, "part URI");
    if (!(HlsText.nonNegative(duration, "part duration") > 0)) {
      throw new IllegalArgumentException("part duration must be > 0: " + uri);
    }
  }
}
