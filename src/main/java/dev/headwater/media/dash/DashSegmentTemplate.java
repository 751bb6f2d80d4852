package dev.headwater.media.dash;

import java.util.List;

/**
 * A SegmentTemplate with {@code $Number$} addressing (23009-1 §5.3.9.4), in one of two forms:
 *
 * <ul>
 *   <li>{@code @duration} (§5.3.9.5.3): Segment {@code startNumber + i} covers media time {@code
 *       presentationTimeOffset + i·duration} in ticks of {@code timescale}, and (dynamic MPDs,
 *       §5.3.9.5.3 / §A.3.4) becomes available {@code availabilityTimeOffset} seconds before it
 *       ends. The live MPD's form (see {@code serve.MpdAssembler} for why).
 *   <li>a SegmentTimeline (§5.3.9.6): each Segment's exact start and duration, Segment {@code
 *       startNumber + i} being the timeline's {@code i}-th. The form of a recording's static MPD,
 *       whose segments are all known.
 * </ul>
 *
 * @param duration SegmentTemplate@duration in ticks; 0 (absent) with a timeline: §5.3.9.2 makes
 *     {@code @duration} and SegmentTimeline mutually exclusive
 * @param endNumber SegmentTemplate@endNumber (23009-1 §5.3.9.2, 5th edition): the number of the
 *     last segment, for a Period whose media stopped before the next Period starts; or null
 * @param availabilityTimeOffset SegmentTemplate@availabilityTimeOffset in seconds, or null
 * @param availabilityTimeComplete SegmentTemplate@availabilityTimeComplete, or null (absent means
 *     true, §5.3.9.2)
 * @param timeline the SegmentTimeline's S elements in time order, or null for the {@code @duration}
 *     form
 */
public record DashSegmentTemplate(
    long timescale,
    long duration,
    long startNumber,
    Long endNumber,
    long presentationTimeOffset,
    String media,
    String initialization,
    Double availabilityTimeOffset,
    Boolean availabilityTimeComplete,
    List<DashTimelineEntry> timeline) {

  /** A template with {@code @duration} and no SegmentTimeline. */
  public DashSegmentTemplate(
      long timescale,
      long duration,
      long startNumber,
      Long endNumber,
      long presentationTimeOffset,
      String media,
      String initialization,
      Double availabilityTimeOffset,
      Boolean availabilityTimeComplete) {
    this(
        timescale,
        duration,
        startNumber,
        endNumber,
        presentationTimeOffset,
        media,
        initialization,
        availabilityTimeOffset,
        availabilityTimeComplete,
        null);
  }

  public DashSegmentTemplate {
    if (timeline != null) {
      timeline = List.copyOf(timeline);
      // §5.3.9.2: @duration and SegmentTimeline shall not both be present; an empty timeline would
      // announce no Segment at all.
      if (timeline.isEmpty() || duration != 0) {
        throw new IllegalArgumentException(
            "SegmentTemplate: a SegmentTimeline has at least one S and excludes @duration");
      }
    } else if (duration <= 0) {
      throw new IllegalArgumentException(
          "SegmentTemplate timescale and duration must be positive xs:unsignedInt");
    }
    if (timescale <= 0 || timescale > 0xFFFF_FFFFL || duration > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException(
          "SegmentTemplate timescale and duration must be positive xs:unsignedInt");
    }
    if (startNumber < 0
        || startNumber > 0xFFFF_FFFFL
        || presentationTimeOffset < 0
        || (endNumber != null && (endNumber < startNumber || endNumber > 0xFFFF_FFFFL))) {
      throw new IllegalArgumentException("SegmentTemplate startNumber or offset out of range");
    }
    // §5.3.9.4.4: $Number$ is the only identifier this template uses besides $RepresentationID$.
    if (!media.contains("$Number$")) {
      throw new IllegalArgumentException("SegmentTemplate@media needs $Number$: " + media);
    }
    if (availabilityTimeOffset != null
        && (availabilityTimeOffset < 0 || availabilityTimeOffset.isNaN())) {
      throw new IllegalArgumentException("availabilityTimeOffset must be >= 0");
    }
  }
}
