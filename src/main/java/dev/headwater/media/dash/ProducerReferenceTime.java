package dev.headwater.media.dash;

import java.time.Instant;

/**
 * A ProducerReferenceTime (23009-1 §5.12): the wall-clock time at which the sample with media time
 * {@code presentationTime} was produced.
 *
 * @param inband true when the segments carry {@code prft} boxes (ISO/IEC 14496-12 §8.16.5)
 * @param type {@code encoder}, {@code captured} or {@code application}
 * @param utcTiming the clock {@code wallClockTime} is on (DASH-IF LL: the MPD's UTCTiming), or null
 */
public record ProducerReferenceTime(
    int id,
    boolean inband,
    String type,
    Instant wallClockTime,
    long presentationTime,
    UtcTiming utcTiming) {

  public ProducerReferenceTime {
    if (!type.equals("encoder") && !type.equals("captured") && !type.equals("application")) {
      throw new IllegalArgumentException("ProducerReferenceTime@type: " + type);
    }
    if (presentationTime < 0) {
      throw new IllegalArgumentException("ProducerReferenceTime@presentationTime < 0");
    }
  }
}
