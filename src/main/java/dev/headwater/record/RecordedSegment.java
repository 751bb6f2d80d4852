package dev.headwater.record;

/**
 * One rendition's segment inside a {@link RecordingEntry}.
 *
 * @param init the encoder run whose init section decodes it
 * @param durationTicks its exact duration in the init section's timescale
 * @param startTicks media time of its first sample
 * @param discontinuity a discontinuity comes before it in this rendition: its run's first segment,
 *     or the first after groups the recorder dropped. Per rendition, since renditions of one run
 *     need not change runs at the same MSN (audio may end a run one short segment later than video)
 */
public record RecordedSegment(
    int init,
    double duration,
    long durationTicks,
    long startTicks,
    long size,
    boolean discontinuity) {}
