package dev.headwater.media.cmaf;

import dev.headwater.media.Bytes;
import java.util.Objects;

/**
 * An LL-HLS partial segment: one or more whole fragments (moof+mdat, with their leading boxes),
 * concatenated without copying (their box arrays are shared). Immutable: {@link Bytes} never
 * changes and compares by content.
 *
 * @param startTime decode time of the first fragment, track timescale
 * @param duration sum of the fragment durations, track timescale
 * @param independent the first fragment starts with a sync sample (EXT-X-PART INDEPENDENT=YES)
 * @param startsSegment this is the first part of a segment
 */
public record CmafPart(
    Bytes bytes, long startTime, long duration, boolean independent, boolean startsSegment) {

  public CmafPart {
    Objects.requireNonNull(bytes, "bytes");
  }

  public int size() {
    return bytes.length();
  }

  public long endTime() {
    return startTime + duration;
  }
}
