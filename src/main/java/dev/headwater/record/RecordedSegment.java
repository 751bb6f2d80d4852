package dev.headwater.record;

import java.time.Instant;

/**
 * One rendition's segment inside a {@link RecordingEntry}.
 *
 * @param init the encoder run whose init section decodes it
 * @param durationTicks its exact duration in the init section's timescale
 * @param startTicks media time of its first sample
 * @param discontinuity a discontinuity comes before it in this rendition: its run's first segment,
 *     or the first after groups the recorder dropped. Per rendition, since renditions of one run
 *     need not change runs at the same MSN (audio may end a run one short segment later than video)
 * @param programDateTime wall-clock time of its first sample; null in recordings made before it was
 *     stored per rendition (the entry's is used then)
 */
public record RecordedSegment(
    int init,
    double duration,
    long durationTicks,
    long startTicks,
    long size,
    boolean discontinuity,
    Instant programDateTime) {

  public RecordedSegment(
      int init,
      double duration,
      long durationTicks,
      long startTicks,
      long size,
      boolean discontinuity) {
    this(init, duration, durationTicks, startTicks, size, discontinuity, null);
  }

  /** Its own wall-clock time, or the group's when the recording does not hold it. */
  public Instant programDateTime(RecordingEntry in) {
    return programDateTime != null ? programDateTime : in.programDateTime();
  }
}
