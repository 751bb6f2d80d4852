package dev.headwater.media.hls;

/**
 * EXT-X-VERSION selection. §6.2.1: the version SHOULD NOT be higher than the tags used require,
 * because clients refuse versions they do not know (§8). Tags that need no version (EXT-X-PART,
 * PART-INF, SERVER-CONTROL, PRELOAD-HINT, RENDITION-REPORT, DISCONTINUITY-SEQUENCE,
 * INDEPENDENT-SEGMENTS) do not raise it.
 */
public final class HlsVersion {

  private HlsVersion() {}

  /** The lowest version for the playlist as {@link MediaPlaylistWriter} writes it. */
  public static int forMedia(MediaPlaylist playlist) {
    boolean extinf = false;
    boolean map = false;
    for (HlsSegment segment : playlist.segments()) {
      if (!segment.isListed()) {
        continue;
      }
      extinf |= segment.complete();
      map |= segment.mapUri() != null;
    }
    return forMedia(extinf, map, playlist.skippedSegments() > 0);
  }

  /**
   * @param floatingExtinf the playlist has an EXTINF line (always written with decimals here)
   * @param map the playlist has an EXT-X-MAP tag (and no EXT-X-I-FRAMES-ONLY)
   * @param skip the playlist has an EXT-X-SKIP tag (without skipped DATERANGEs)
   */
  public static int forMedia(boolean floatingExtinf, boolean map, boolean skip) {
    // §8: EXT-X-SKIP needs 9 (10 only when it also replaces DATERANGEs, which this package never
    // does).
    if (skip) {
      return 9;
    }
    // §8: EXT-X-MAP in a playlist without EXT-X-I-FRAMES-ONLY needs 6.
    if (map) {
      return 6;
    }
    // §8: floating-point EXTINF durations need 3.
    if (floatingExtinf) {
      return 3;
    }
    return 1;
  }

  /**
   * §8: EXT-X-MEDIA and the AUDIO attribute work with version 1, but a server MAY declare 4 so that
   * clients without rendition support do not play a video-only variant silently. We do.
   */
  public static int forMultivariant(MultivariantPlaylist playlist) {
    boolean renditions =
        !playlist.audio().isEmpty()
            || playlist.variants().stream().anyMatch(v -> v.audioGroup() != null);
    return renditions ? 4 : 1;
  }
}
