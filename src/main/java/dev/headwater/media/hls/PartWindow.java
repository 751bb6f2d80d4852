package dev.headwater.media.hls;

import java.util.ArrayList;
import java.util.List;

/**
 * Which EXT-X-PART tags a written playlist still carries.
 *
 * <p>§6.2.2: "EXT-X-PART tags SHOULD be removed from the Playlist after they are greater than three
 * Target Durations from the end of the Playlist", and MUST be removed in playlist order. A Parent
 * Segment keeps its parts only while both hold:
 *
 * <ol>
 *   <li>its start lies within 3 x TARGETDURATION of the end of the playlist (the end of the last
 *       published media), so no listed part is further than that from the end;
 *   <li>it is one of the last {@value #ENTRIES} segment entries of the written playlist. On a live
 *       playlist the tags after the last URI line form an entry of their own: the open segment's
 *       parts with the preload hint, or the hint alone right after a segment closed. An ended
 *       playlist has no such entry.
 * </ol>
 *
 * The time rule is the spec's. The count rule is how hls-parser (strict mode) reads it: it rejects
 * parts on any entry before the last three, counting the trailing hint entry. With 2 s segments and
 * a 2 s target the two agree except right after a close, when the segment starting exactly 6 s back
 * is fourth from the end; short segments after a discontinuity are where the count rule matters
 * most (many fit in 6 s).
 *
 * <p>Parts are dropped per whole parent, oldest first, never the leading parts of a parent: the
 * Part Index a client sends in {@code _HLS_part} is a position in the parent's part list, and a
 * partly listed parent would shift it. Dropped tags do not make parts unavailable: they stay
 * downloadable and blocking requests for them are still answered (§6.2.2: a removed part must stay
 * available for another 3 x TD; the timeline keeps every part of every segment in its window).
 *
 * <p>Distances are computed on the written (millisecond) durations, so the result matches the text.
 */
public final class PartWindow {

  /** Target durations from the end of the playlist within which a parent's start must lie. */
  public static final int TARGET_DURATIONS = 3;

  /**
   * Trailing segment entries (the hint entry included) that may carry parts. Costs a joining player
   * nothing: it starts PART-HOLD-BACK from the end (0.6 s by default), within the last two parents.
   */
  public static final int ENTRIES = 3;

  private PartWindow() {}

  /** The playlist with the parts of segments outside the part window removed; the segments stay. */
  public static MediaPlaylist trim(MediaPlaylist playlist) {
    List<HlsSegment> segments = playlist.segments();
    long totalMillis = 0;
    int listed = 0;
    for (HlsSegment segment : segments) {
      totalMillis += publishedMillis(segment);
      if (segment.isListed()) {
        listed++;
      }
    }
    int entries = listed + (hintFormsOwnEntry(playlist) ? 1 : 0);
    int firstEntryWithParts = entries - ENTRIES;
    long windowMillis = TARGET_DURATIONS * 1000L * playlist.targetDuration();
    List<HlsSegment> trimmed = new ArrayList<>(segments.size());
    long startMillis = 0;
    int entry = 0;
    boolean changed = false;
    for (HlsSegment segment : segments) {
      boolean keep =
          !segment.isListed()
              || (entry >= firstEntryWithParts && totalMillis - startMillis <= windowMillis);
      if (segment.isListed()) {
        entry++;
      }
      startMillis += publishedMillis(segment);
      if (!keep && !segment.parts().isEmpty()) {
        trimmed.add(segment.withParts(List.of()));
        changed = true;
      } else {
        trimmed.add(segment);
      }
    }
    return changed ? playlist.withSegments(trimmed, playlist.skippedSegments()) : playlist;
  }

  /**
   * Whether the preload hint is written after a URI line, with no open parts before it: it then
   * forms a segment entry by itself. Only the last segment can be open (see {@link MediaPlaylist}).
   */
  static boolean hintFormsOwnEntry(MediaPlaylist playlist) {
    // §4.4.5.3: no hint is written with ENDLIST (see MediaPlaylistWriter).
    if (playlist.preloadHint() == null || playlist.endList()) {
      return false;
    }
    List<HlsSegment> segments = playlist.segments();
    for (int i = segments.size() - 1; i >= 0; i--) {
      HlsSegment segment = segments.get(i);
      if (segment.isListed()) {
        return segment.complete();
      }
    }
    return true;
  }

  static long publishedMillis(HlsSegment segment) {
    if (segment.complete()) {
      return HlsFormat.millis(segment.duration());
    }
    long sum = 0;
    for (HlsPart part : segment.parts()) {
      sum += HlsFormat.millis(part.duration());
    }
    return sum;
  }
}
