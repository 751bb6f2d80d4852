package dev.headwater.record;

/**
 * One rendition's segment inside a {@link RecordingEntry}.
 *
 * @param init the encoder run whose init section decodes it
 * @param durationTicks its exact duration in the init section's timescale
 * @param startTicks media time of its first sample
 */
public record RecordedSegment(
    int init, double duration, long durationTicks, long startTicks, long size) {}
