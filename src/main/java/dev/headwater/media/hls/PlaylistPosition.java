package dev.headwater.media.hls;

import java.util.List;

/**
 * How far a Media Playlist has got, as {@link BlockingDecision} needs it.
 *
 * @param lastMsn MSN of the last listed segment, complete or not; {@code mediaSequence - 1} when
 *     nothing is listed yet (may then be -1)
 * @param lastPartIndex Part Index of the last published part of {@code lastMsn}; -1 if none
 * @param lastSegmentComplete segment {@code lastMsn} is closed (has its EXTINF)
 * @param ended the playlist has EXT-X-ENDLIST
 * @param partTargetSeconds PART-TARGET; 0 without parts
 * @param hasParts the playlist has EXT-X-PART-INF
 */
public record PlaylistPosition(
    long lastMsn,
    long lastPartIndex,
    boolean lastSegmentComplete,
    boolean ended,
    double partTargetSeconds,
    boolean hasParts) {

  public PlaylistPosition {
    if (lastMsn < -1 || lastPartIndex < -1) {
      throw new IllegalArgumentException("invalid position " + lastMsn + "/" + lastPartIndex);
    }
    HlsText.nonNegative(partTargetSeconds, "PART-TARGET");
    if (hasParts && partTargetSeconds == 0) {
      throw new IllegalArgumentException("a playlist with parts needs a PART-TARGET");
    }
  }

  /**
   * The position of a playlist as it would be written. An open segment without a published part is
   * not listed (see {@link HlsSegment#isListed()}), so the position is then the end of the segment
   * before it. Works on full playlists and delta updates alike.
   */
  public static PlaylistPosition of(MediaPlaylist playlist) {
    List<HlsSegment> segments = playlist.segments();
    int last = segments.size() - 1;
    if (last >= 0 && !segments.get(last).isListed()) {
      last--;
    }
    if (last < 0) {
      long firstMsn = playlist.mediaSequence() + playlist.skippedSegments();
      long msn = segments.isEmpty() ? firstMsn - 1 : segments.get(0).msn() - 1;
      return new PlaylistPosition(
          msn, -1, true, playlist.endList(), playlist.partTarget(), playlist.hasParts());
    }
    HlsSegment segment = segments.get(last);
    return new PlaylistPosition(
        segment.msn(),
        segment.parts().size() - 1,
        segment.complete(),
        playlist.endList(),
        playlist.partTarget(),
        playlist.hasParts());
  }
}
