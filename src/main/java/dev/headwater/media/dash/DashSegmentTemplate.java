package dev.headwater.media.dash;

/**
 * A SegmentTemplate with {@code @duration} and {@code $Number$} addressing (23009-1 §5.3.9.4,
 * §5.3.9.5.3): Segment {@code startNumber + i} covers media time {@code presentationTimeOffset +
 * i·duration} in ticks of {@code timescale}, and (dynamic MPDs, §5.3.9.5.3 / §A.3.4) becomes
 * available {@code availabilityTimeOffset} seconds before it ends.
 *
 * @param endNumber SegmentTemplate@endNumber (23009-1 §5.3.9.2, 5th edition): the number of the
 *     last segment, for a Period whose media stopped before the next Period starts; or null
 * @param availabilityTimeOffset SegmentTemplate@availabilityTimeOffset in seconds, or null
 * @param availabilityTimeComplete SegmentTemplate@availabilityTimeComplete, or null (absent means
 *     true, §5.3.9.2)
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
    Boolean availabilityTimeComplete) {

  public DashSegmentTemplate {
    if (timescale <= 0 || duration <= 0 || timescale > 0xFFFF_FFFFL || duration > 0xFFFF_FFFFL) {
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
