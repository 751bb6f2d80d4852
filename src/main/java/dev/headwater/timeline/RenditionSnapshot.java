package dev.headwater.timeline;

import java.util.List;
import java.util.Map;

/**
 * An immutable view of one rendition at one instant. {@code segments} holds every segment still
 * downloadable, oldest first; the playlist window is the tail starting at {@code windowStart}.
 *
 * @param nextPartSequence the sequence number the next part will get: its URI is the preload hint
 * @param discontinuitySequence EXT-X-DISCONTINUITY-SEQUENCE of the window's first segment (RFC
 *     8216bis 6.2.2)
 * @param growing the segment being produced, chunk by chunk (null when none is): it may be the last
 *     of {@code segments} (some of its parts are out) or the next one (none is yet)
 */
public record RenditionSnapshot(
    RenditionSpec spec,
    List<TimelineSegment> segments,
    int windowStart,
    Map<Integer, InitSection> inits,
    InitSection currentInit,
    long nextPartSequence,
    long discontinuitySequence,
    boolean ended,
    GrowingSegment growing) {

  public String name() {
    return spec.name();
  }

  public List<TimelineSegment> window() {
    return segments.subList(windowStart, segments.size());
  }

  public boolean isEmpty() {
    return segments.isEmpty();
  }

  public TimelineSegment last() {
    return segments.isEmpty() ? null : segments.get(segments.size() - 1);
  }

  /** The segment with this MSN, if still downloadable. */
  public TimelineSegment segment(long msn) {
    if (segments.isEmpty()) {
      return null;
    }
    long first = segments.get(0).msn();
    long i = msn - first;
    return i < 0 || i >= segments.size() ? null : segments.get((int) i);
  }

  /** The part with this sequence number, if still downloadable. */
  public TimelinePart part(long sequence) {
    int lo = 0;
    int hi = segments.size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      List<TimelinePart> parts = segments.get(mid).parts();
      if (parts.isEmpty() || parts.get(parts.size() - 1).sequence() < sequence) {
        lo = mid + 1;
      } else if (parts.get(0).sequence() > sequence) {
        hi = mid - 1;
      } else {
        return parts.get((int) (sequence - parts.get(0).sequence()));
      }
    }
    return null;
  }

  /** The newest published part, or null before the first. */
  public TimelinePart lastPart() {
    TimelineSegment last = last();
    return last == null || last.parts().isEmpty()
        ? null
        : last.parts().get(last.parts().size() - 1);
  }
}
