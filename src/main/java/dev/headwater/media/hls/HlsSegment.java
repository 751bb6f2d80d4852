package dev.headwater.media.hls;

import java.time.Instant;
import java.util.List;

/**
 * One Media Segment (the Parent Segment of its parts) as the origin knows it.
 *
 * <p>The model always carries every part the segment has; which parts are written is decided by
 * {@link PartWindow}. The last segment of a live playlist may be incomplete: it is then written as
 * its parts only, without EXTINF and URI line.
 *
 * @param msn Media Sequence Number
 * @param uri URI line of the complete segment; ignored (may be null) while incomplete
 * @param duration EXTINF seconds; NaN or ignored while incomplete
 * @param complete the segment is closed and gets its EXTINF and URI line
 * @param parts partial segments, in Part Index order; empty when the playlist has no parts
 * @param discontinuity write EXT-X-DISCONTINUITY before this segment
 * @param mapUri non-null when an EXT-X-MAP must be written before this segment: the first segment
 *     and the first one after every change of initialization section
 * @param programDateTime EXT-X-PROGRAM-DATE-TIME of the segment's first sample, or null to omit
 * @param gap the segment is unavailable (EXT-X-GAP, §4.4.4.7)
 */
public record HlsSegment(
    long msn,
    String uri,
    double duration,
    boolean complete,
    List<HlsPart> parts,
    boolean discontinuity,
    String mapUri,
    Instant programDateTime,
    boolean gap) {

  public HlsSegment {
    if (msn < 0) {
      throw new IllegalArgumentException("MSN must be >= 0: " + msn);
    }
    parts = parts == null ? List.of() : List.copyOf(parts);
    if (complete) {
      HlsText.uriLine(uri, "segment URI");
      HlsText.nonNegative(duration, "segment duration");
    }
    if (mapUri != null) {
      HlsText.quotable(mapUri, "map URI");
    }
  }

  /**
   * Whether the segment shows up in a written playlist. An open segment without a published part
   * has no line to show yet; its tags would dangle in front of the preload hint, so it is left out
   * until its first part exists.
   */
  public boolean isListed() {
    return complete || !parts.isEmpty();
  }

  HlsSegment withParts(List<HlsPart> newParts) {
    return new HlsSegment(
        msn, uri, duration, complete, newParts, discontinuity, mapUri, programDateTime, gap);
  }

  HlsSegment withMapUri(String newMapUri) {
    return new HlsSegment(
        msn, uri, duration, complete, parts, discontinuity, newMapUri, programDateTime, gap);
  }
}
