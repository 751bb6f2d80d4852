package dev.headwater.media.dash;

/**
 * One {@code S} element of a SegmentTimeline (23009-1 §5.3.9.6): {@code repeat + 1} contiguous
 * Segments of {@code duration} ticks each.
 *
 * @param time S@t, the earliest presentation time of its first Segment in ticks of the template's
 *     timescale; null when it follows on from the previous S (§5.3.9.6.2: absent, it is the
 *     previous S@t plus (S@r + 1) · S@d, or 0 for the first S)
 * @param duration S@d in ticks, > 0
 * @param repeat S@r: how many more Segments of the same duration follow (zero-based, so 0 is one
 *     Segment); never negative here (a negative S@r repeats up to the next S or the Period end,
 *     which an exact timeline does not need)
 */
public record DashTimelineEntry(Long time, long duration, long repeat) {

  public DashTimelineEntry {
    if ((time != null && time < 0) || duration <= 0 || repeat < 0) {
      throw new IllegalArgumentException(
          "S element: need t >= 0, d > 0, r >= 0: t=" + time + " d=" + duration + " r=" + repeat);
    }
  }

  /** How many Segments it describes. */
  public long count() {
    return repeat + 1;
  }
}
