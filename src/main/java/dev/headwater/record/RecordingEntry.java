package dev.headwater.record;

import java.time.Instant;
import java.util.Map;

/**
 * One segment group of a recording: segment {@code msn} of every rendition, all stored.
 *
 * @param discontinuity a discontinuity comes before it: an encoder restart, a publisher reconnect,
 *     or groups the recorder had to drop
 * @param programDateTime wall-clock time of its first sample
 * @param segments by rendition name, in the recording's rendition order
 */
public record RecordingEntry(
    long msn,
    boolean discontinuity,
    Instant programDateTime,
    Map<String, RecordedSegment> segments) {

  public RecordingEntry {
    segments = Map.copyOf(segments);
  }

  public long size() {
    long n = 0;
    for (RecordedSegment s : segments.values()) {
      n += s.size();
    }
    return n;
  }

  /** The group's duration: its longest rendition's (video and audio differ by a few ms). */
  public double duration() {
    double d = 0;
    for (RecordedSegment s : segments.values()) {
      d = Math.max(d, s.duration());
    }
    return d;
  }
}
