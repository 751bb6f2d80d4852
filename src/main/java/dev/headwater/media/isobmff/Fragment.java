package dev.headwater.media.isobmff;

import dev.headwater.media.Bytes;
import java.util.Objects;

/**
 * One movie fragment exactly as received: any leading styp/prft/emsg boxes, then moof and mdat, as
 * a concatenation of the boxes' own arrays (no copy). Times are in the track timescale. Immutable:
 * {@link Bytes} never changes and compares by content.
 *
 * @param trackId tfhd track_ID
 * @param baseMediaDecodeTime tfdt baseMediaDecodeTime
 * @param duration sum of the sample durations of all truns
 * @param sampleCount sum of the trun sample_counts
 * @param independent the first sample is a sync sample (always true for audio)
 */
public record Fragment(
    Bytes bytes,
    int trackId,
    long baseMediaDecodeTime,
    long duration,
    int sampleCount,
    boolean independent)
    implements Fmp4Item {

  public Fragment {
    Objects.requireNonNull(bytes, "bytes");
  }

  public int size() {
    return bytes.length();
  }

  /** baseMediaDecodeTime + duration. */
  public long endTime() {
    return baseMediaDecodeTime + duration;
  }
}
