package dev.headwater.media.dash;

import java.time.Instant;
import java.util.List;

/**
 * A Media Presentation Description (23009-1 §5.3.1). Durations are whole milliseconds; a null
 * {@code Long} or reference is an absent attribute or element.
 *
 * @param dynamic MPD@type: {@code dynamic} while the stream is live, {@code static} once it ended
 * @param profiles MPD@profiles, in order
 * @param availabilityStartTime MPD@availabilityStartTime: the anchor of every Period@start
 *     (§5.3.1.2 "shall be present" for type dynamic); null for a static MPD
 * @param publishTime MPD@publishTime, or null
 * @param mediaPresentationDurationMillis MPD@mediaPresentationDuration (static only)
 * @param minimumUpdatePeriodMillis MPD@minimumUpdatePeriod (dynamic only)
 * @param minBufferTimeMillis MPD@minBufferTime (required)
 * @param timeShiftBufferDepthMillis MPD@timeShiftBufferDepth (dynamic only)
 * @param suggestedPresentationDelayMillis MPD@suggestedPresentationDelay (dynamic only)
 * @param maxSegmentDurationMillis MPD@maxSegmentDuration, or null
 * @param serviceDescription the one ServiceDescription, or null
 * @param periods the Periods in time order, at least one
 * @param utcTimings UTCTiming elements, in the client's order of preference
 */
public record Mpd(
    boolean dynamic,
    List<String> profiles,
    Instant availabilityStartTime,
    Instant publishTime,
    Long mediaPresentationDurationMillis,
    Long minimumUpdatePeriodMillis,
    long minBufferTimeMillis,
    Long timeShiftBufferDepthMillis,
    Long suggestedPresentationDelayMillis,
    Long maxSegmentDurationMillis,
    ServiceDescription serviceDescription,
    List<DashPeriod> periods,
    List<UtcTiming> utcTimings) {

  public static final String NAMESPACE = "urn:mpeg:dash:schema:mpd:2011";
  public static final String PROFILE_LIVE = "urn:mpeg:dash:profile:isoff-live:2011";
  public static final String PROFILE_CMAF = "urn:mpeg:dash:profile:cmaf:2019";

  public Mpd {
    profiles = List.copyOf(profiles);
    periods = List.copyOf(periods);
    utcTimings = List.copyOf(utcTimings);
    if (profiles.isEmpty()) {
      throw new IllegalArgumentException("MPD@profiles is required");
    }
    if (periods.isEmpty()) {
      // 23009-1 §5.3.1.2: an MPD holds one or more Periods.
      throw new IllegalArgumentException("an MPD needs at least one Period");
    }
    if (dynamic) {
      // §5.3.1.2: for @type="dynamic", @availabilityStartTime shall be present.
      if (availabilityStartTime == null) {
        throw new IllegalArgumentException("a dynamic MPD needs availabilityStartTime");
      }
      if (mediaPresentationDurationMillis != null) {
        throw new IllegalArgumentException("a live MPD has no mediaPresentationDuration");
      }
    } else {
      // §5.3.1.2: a static MPD without a last Period@duration needs mediaPresentationDuration;
      // we always write it. minimumUpdatePeriod "shall not be present" for static.
      if (mediaPresentationDurationMillis == null || minimumUpdatePeriodMillis != null) {
        throw new IllegalArgumentException(
            "a static MPD has mediaPresentationDuration and no minimumUpdatePeriod");
      }
    }
    long previous = -1;
    for (DashPeriod p : periods) {
      if (p.startMillis() < previous) {
        throw new IllegalArgumentException("Periods out of order at " + p.id());
      }
      previous = p.startMillis();
    }
  }
}
