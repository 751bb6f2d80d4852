package dev.headwater.media.hls;

import java.util.ArrayList;
import java.util.List;

/**
 * Playlist Delta Updates (§6.2.5.1): the answer to {@code _HLS_skip=YES|v2}.
 *
 * <p>Segments whose end lies further than the Skip Boundary before the end of the playlist (the end
 * of the last published media of the last Parent Segment) are replaced by one EXT-X-SKIP tag,
 * counted from the start. MEDIA-SEQUENCE stays (it still names the first, skipped, segment) and so
 * does DISCONTINUITY-SEQUENCE (§4.4.5.2). Every tag of the kept segments stays (§6.2.5.1 MUST).
 *
 * <p>EXT-X-MAP applies until the next EXT-X-MAP (§4.4.4.5), so the map in force may sit on a
 * skipped segment. A client merging the delta keeps it, but parsers that handle each response on
 * its own would not know the map of the kept segments; the first kept segment therefore repeats the
 * map in force when it carries none. Repeating the URI already in force changes nothing for a
 * client that merges.
 *
 * <p>Never skipped: DATERANGEs (this package does not model them, so {@code v2} is answered like
 * {@code YES} and RECENTLY-REMOVED-DATERANGES is not needed).
 */
public final class DeltaUpdate {

  private DeltaUpdate() {}

  /**
   * @param full the full playlist
   * @param skipBoundarySeconds the Skip Boundary; never below the advertised CAN-SKIP-UNTIL,
   *     because a client only holds segments up to half CAN-SKIP-UNTIL old (§6.3.7), so skipping
   *     closer to the end could drop segments it never saw
   * @return the delta update, or {@code full} itself when it has no CAN-SKIP-UNTIL or has ENDLIST
   *     (§6.2.5.1: the server MUST ignore {@code _HLS_skip} then) or nothing lies beyond the
   *     boundary
   */
  public static MediaPlaylist apply(MediaPlaylist full, double skipBoundarySeconds) {
    ServerControl control = full.serverControl();
    if (full.endList() || control == null || control.canSkipUntil() == 0) {
      return full;
    }
    double boundary =
        Math.max(HlsText.nonNegative(skipBoundarySeconds, "skip boundary"), control.canSkipUntil());
    long boundaryMillis = HlsFormat.millis(boundary);
    List<HlsSegment> segments = full.segments();
    long totalMillis = 0;
    for (HlsSegment segment : segments) {
      totalMillis += PartWindow.publishedMillis(segment);
    }
    int skipped = 0;
    long endMillis = 0;
    for (HlsSegment segment : segments) {
      endMillis += PartWindow.publishedMillis(segment);
      if (totalMillis - endMillis <= boundaryMillis) {
        break;
      }
      skipped++;
    }
    if (skipped == 0) {
      return full;
    }
    List<HlsSegment> kept = new ArrayList<>(segments.subList(skipped, segments.size()));
    HlsSegment first = kept.get(0);
    if (first.mapUri() == null) {
      String mapInForce = null;
      for (int i = skipped - 1; i >= 0 && mapInForce == null; i--) {
        mapInForce = segments.get(i).mapUri();
      }
      if (mapInForce != null) {
        kept.set(0, first.withMapUri(mapInForce));
      }
    }
    return full.withSegments(kept, full.skippedSegments() + skipped);
  }
}
