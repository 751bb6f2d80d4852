package dev.headwater.media.cmaf;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * An LL-HLS partial segment: one or more whole fragments (moof+mdat, with their leading
 * boxes), concatenated. Immutable: the array is copied in and out; use
 * {@link #asByteBuffer()} to serve it without a copy.
 *
 * @param startTime decode time of the first fragment, track timescale
 * @param duration sum of the fragment durations, track timescale
 * @param independent the first fragment starts with a sync sample (EXT-X-PART INDEPENDENT=YES)
 * @param startsSegment this is the first part of a segment
 */
public record CmafPart(byte[] bytes, long startTime, long duration, boolean independent, boolean startsSegment) {

  public CmafPart {
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

  public long endTime() {
    return startTime + duration;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CmafPart p
        && Arrays.equals(bytes, p.bytes)
        && startTime == p.startTime
        && duration == p.duration
        && independent == p.independent
        && startsSegment == p.startsSegment;
  }

  @Override
  public int hashCode() {
    int h = Arrays.hashCode(bytes);
    h = 31 * h + Long.hashCode(startTime);
    h = 31 * h + Long.hashCode(duration);
    h = 31 * h + Boolean.hashCode(independent);
    return 31 * h + Boolean.hashCode(startsSegment);
  }

  @Override
  public String toString() {
    return "CmafPart[" + bytes.length + " bytes, start " + startTime + ", duration " + duration
        + (independent ? ", independent" : "") + (startsSegment ? ", startsSegment]" : "]");
  }
}
