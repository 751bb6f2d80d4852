package dev.headwater.media.isobmff;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * One movie fragment exactly as received: any leading styp/prft/emsg boxes, then moof and
 * mdat. Times are in the track timescale. Immutable: the array is copied in and out; use
 * {@link #asByteBuffer()} to read without a copy.
 *
 * @param trackId tfhd track_ID
 * @param baseMediaDecodeTime tfdt baseMediaDecodeTime
 * @param duration sum of the sample durations of all truns
 * @param sampleCount sum of the trun sample_counts
 * @param independent the first sample is a sync sample (always true for audio)
 */
public record Fragment(
    byte[] bytes, int trackId, long baseMediaDecodeTime, long duration, int sampleCount, boolean independent)
    implements Fmp4Item {

  public Fragment {
    bytes = bytes.clone();
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  /** A read-only view of the bytes, without copying. */
  public ByteBuffer asByteBuffer() {
    return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
  }

  public int size() {
    return bytes.length;
  }

  /** baseMediaDecodeTime + duration. */
  public long endTime() {
    return baseMediaDecodeTime + duration;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Fragment f
        && Arrays.equals(bytes, f.bytes)
        && trackId == f.trackId
        && baseMediaDecodeTime == f.baseMediaDecodeTime
        && duration == f.duration
        && sampleCount == f.sampleCount
        && independent == f.independent;
  }

  @Override
  public int hashCode() {
    int h = Arrays.hashCode(bytes);
    h = 31 * h + trackId;
    h = 31 * h + Long.hashCode(baseMediaDecodeTime);
    h = 31 * h + Long.hashCode(duration);
    h = 31 * h + sampleCount;
    return 31 * h + Boolean.hashCode(independent);
  }

  @Override
  public String toString() {
    return "Fragment[" + bytes.length + " bytes, track " + trackId + ", tfdt " + baseMediaDecodeTime
        + ", duration " + duration + ", samples " + sampleCount + (independent ? ", independent]" : "]");
  }
}
