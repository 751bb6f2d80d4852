package dev.headwater.media.hls;

import java.util.List;

/**
 * A Media Playlist as the origin serves it, before rendering by {@link MediaPlaylistWriter}.
 *
 * <p>The constructor rejects playlists that would break a MUST of the spec which the writer cannot
 * repair, so the mistake surfaces in the packager instead of as a permanent player failure.
 *
 * @param targetDuration EXT-X-TARGETDURATION, whole seconds, constant for the life of the stream
 *     (§6.2.1)
 * @param partTarget PART-TARGET seconds; 0 = the playlist has no parts
 * @param serverControl EXT-X-SERVER-CONTROL; null = omit (not allowed with parts: PART-HOLD-BACK is
 *     REQUIRED)
 * @param mediaSequence EXT-X-MEDIA-SEQUENCE: MSN of the first segment, skipped ones included
 * @param discontinuitySequence EXT-X-DISCONTINUITY-SEQUENCE, always written ([AUTH] 8.17)
 * @param segments the listed segments, MSNs contiguous from {@code mediaSequence + skippedSegments}
 * @param preloadHint the next part's hint, or null; never written once the playlist has ended
 * @param renditionReports reports about the other renditions
 * @param endList write EXT-X-ENDLIST
 * @param skippedSegments segments replaced by EXT-X-SKIP; 0 = a full playlist (see {@link
 *     DeltaUpdate})
 * @param playlistType EXT-X-PLAYLIST-TYPE (§4.4.3.5): null for a live playlist (§6.2.2: it MUST NOT
 *     carry one), {@link #EVENT} for a recording still being appended to, {@link #VOD} for a
 *     finished one
 */
public record MediaPlaylist(
    int targetDuration,
    double partTarget,
    ServerControl serverControl,
    long mediaSequence,
    long discontinuitySequence,
    List<HlsSegment> segments,
    PreloadHint preloadHint,
    List<RenditionReport> renditionReports,
    boolean endList,
    int skippedSegments,
    String playlistType) {

  public static final String EVENT = "EVENT";
  public static final String VOD = "VOD";

  /** A live playlist: no EXT-X-PLAYLIST-TYPE. */
  public MediaPlaylist(
      int targetDuration,
      double partTarget,
      ServerControl serverControl,
      long mediaSequence,
      long discontinuitySequence,
      List<HlsSegment> segments,
      PreloadHint preloadHint,
      List<RenditionReport> renditionReports,
      boolean endList,
      int skippedSegments) {
    this(
        targetDuration,
        partTarget,
        serverControl,
        mediaSequence,
        discontinuitySequence,
        segments,
        preloadHint,
        renditionReports,
        endList,
        skippedSegments,
        null);
  }

  public MediaPlaylist {
    segments = segments == null ? List.of() : List.copyOf(segments);
    renditionReports = renditionReports == null ? List.of() : List.copyOf(renditionReports);
    // §4.4.3.1: the Target Duration MUST be at least 1.
    if (targetDuration < 1) {
      throw new IllegalArgumentException("target duration must be >= 1 s: " + targetDuration);
    }
    HlsText.nonNegative(partTarget, "PART-TARGET");
    if (mediaSequence < 0 || discontinuitySequence < 0 || skippedSegments < 0) {
      throw new IllegalArgumentException("sequence numbers and skip count must be >= 0");
    }
    checkServerControl(targetDuration, partTarget, serverControl);
    checkSegments(targetDuration, partTarget, mediaSequence + skippedSegments, segments);
    if (endList && !segments.isEmpty() && !segments.get(segments.size() - 1).complete()) {
      // §6.2.1: the final Media Segment is followed by ENDLIST; dangling parts would never get a
      // parent.
      throw new IllegalArgumentException("an ended playlist cannot end with an incomplete segment");
    }
    // §6.2.5.1: delta updates exist only for live playlists with CAN-SKIP-UNTIL.
    if (skippedSegments > 0
        && (endList || serverControl == null || serverControl.canSkipUntil() == 0)) {
      throw new IllegalArgumentException("EXT-X-SKIP needs CAN-SKIP-UNTIL and no ENDLIST");
    }
    if (playlistType != null) {
      if (!playlistType.equals(EVENT) && !playlistType.equals(VOD)) {
        throw new IllegalArgumentException("EXT-X-PLAYLIST-TYPE is EVENT or VOD: " + playlistType);
      }
      // §4.4.3.5: a VOD playlist cannot change, so it is complete: it ends with ENDLIST.
      if (playlistType.equals(VOD) && !endList) {
        throw new IllegalArgumentException("a VOD playlist must end with EXT-X-ENDLIST");
      }
      // §6.2.5.1: delta updates and blocking reloads are for live playlists.
      if (skippedSegments > 0 || preloadHint != null) {
        throw new IllegalArgumentException(
            "a playlist with EXT-X-PLAYLIST-TYPE has no EXT-X-SKIP or preload hint");
      }
    }
  }

  /** Whether the playlist declares parts (PART-INF), whether or not any are in the part window. */
  public boolean hasParts() {
    return partTarget > 0;
  }

  MediaPlaylist withSegments(List<HlsSegment> newSegments, int newSkippedSegments) {
    return new MediaPlaylist(
        targetDuration,
        partTarget,
        serverControl,
        mediaSequence,
        discontinuitySequence,
        newSegments,
        preloadHint,
        renditionReports,
        endList,
        newSkippedSegments,
        playlistType);
  }

  private static void checkServerControl(
      int targetDuration, double partTarget, ServerControl control) {
    if (partTarget > 0) {
      // §4.4.3.8: PART-HOLD-BACK is REQUIRED with EXT-X-PART-INF and MUST be at least twice
      // PART-TARGET.
      if (control == null
          || HlsFormat.millis(control.partHoldBack()) < 2 * HlsFormat.millis(partTarget)) {
        throw new IllegalArgumentException("PART-HOLD-BACK must be at least 2 x PART-TARGET");
      }
    }
    if (control == null) {
      return;
    }
    // §4.4.3.8: HOLD-BACK MUST be at least three Target Durations.
    if (control.holdBack() != 0 && control.holdBack() < 3.0 * targetDuration) {
      throw new IllegalArgumentException("HOLD-BACK must be at least 3 x target duration");
    }
    // §4.4.3.8: the Skip Boundary MUST be at least six Target Durations.
    if (control.canSkipUntil() != 0 && control.canSkipUntil() < 6.0 * targetDuration) {
      throw new IllegalArgumentException("CAN-SKIP-UNTIL must be at least 6 x target duration");
    }
  }

  private static void checkSegments(
      int targetDuration, double partTarget, long firstMsn, List<HlsSegment> segments) {
    long partTargetMillis = HlsFormat.millis(partTarget);
    for (int i = 0; i < segments.size(); i++) {
      HlsSegment segment = segments.get(i);
      // §6.2.2: every segment keeps a consistent, unique MSN; a hole would shift all later ones.
      if (segment.msn() != firstMsn + i) {
        throw new IllegalArgumentException(
            "segment MSNs must be contiguous: expected "
                + (firstMsn + i)
                + ", got "
                + segment.msn());
      }
      if (!segment.complete() && i != segments.size() - 1) {
        throw new IllegalArgumentException(
            "only the last segment may be incomplete: " + segment.msn());
      }
      // §4.4.3.1: EXTINF rounded to the nearest integer MUST NOT exceed the Target Duration.
      if (segment.complete() && Math.round(segment.duration()) > targetDuration) {
        throw new IllegalArgumentException(
            "segment " + segment.msn() + " is longer than the target duration");
      }
      if (partTarget == 0 && !segment.parts().isEmpty()) {
        throw new IllegalArgumentException(
            "segment " + segment.msn() + " has parts but PART-TARGET is 0");
      }
      for (HlsPart part : segment.parts()) {
        // §4.4.4.9: a part MUST NOT be longer than PART-TARGET; compared as written, since Apple
        // players reject the playlist when the written values disagree.
        if (HlsFormat.millis(part.duration()) > partTargetMillis) {
          throw new IllegalArgumentException("part " + part.uri() + " is longer than PART-TARGET");
        }
      }
    }
  }
}
