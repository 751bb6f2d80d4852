package dev.headwater.record;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What is stored of one stream session, as the catalogue lists it: immutable, replaced by a longer
 * one as segment groups are stored. Every entry names media already in the store.
 *
 * @param renditions video renditions first (highest first), then audio
 * @param entries in MSN order; an MSN missing between two entries is a gap the recorder had to
 *     drop, and the later entry is a discontinuity
 * @param ended no entry will be added: the stream ended, or the origin that recorded it stopped
 */
public record Recording(
    String name,
    String session,
    Instant startedAt,
    List<RecordedRendition> renditions,
    List<RecordingEntry> entries,
    boolean ended) {

  public Recording {
    renditions = List.copyOf(renditions);
    entries = List.copyOf(entries);
  }

  public String key() {
    return RecordingKeys.base(name, session);
  }

  public Recording with(RecordingEntry entry) {
    List<RecordingEntry> next = new ArrayList<>(entries.size() + 1);
    next.addAll(entries);
    next.add(entry);
    return new Recording(name, session, startedAt, renditions, next, ended);
  }

  public Recording end() {
    return ended ? this : new Recording(name, session, startedAt, renditions, entries, true);
  }

  /** The longest rendition's media: renditions need not end (or change runs) at the same MSN. */
  public double duration() {
    double longest = 0;
    for (RecordedRendition r : renditions) {
      double d = 0;
      for (RecordingEntry e : entries) {
        RecordedSegment s = e.segments().get(r.name());
        d += s == null ? 0 : s.duration();
      }
      longest = Math.max(longest, d);
    }
    return longest;
  }

  /** How many segments of this rendition are recorded. */
  public int segments(String rendition) {
    int n = 0;
    for (RecordingEntry e : entries) {
      n += e.segments().containsKey(rendition) ? 1 : 0;
    }
    return n;
  }

  public long size() {
    long n = 0;
    for (RecordingEntry e : entries) {
      n += e.size();
    }
    return n;
  }

  public RecordedRendition rendition(String name) {
    for (RecordedRendition r : renditions) {
      if (r.name().equals(name)) {
        return r;
      }
    }
    return null;
  }

  /** The entry with this MSN, or null (binary search: entries are in MSN order). */
  public RecordingEntry entry(long msn) {
    int lo = 0;
    int hi = entries.size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      long m = entries.get(mid).msn();
      if (m < msn) {
        lo = mid + 1;
      } else if (m > msn) {
        hi = mid - 1;
      } else {
        return entries.get(mid);
      }
    }
    return null;
  }

  /** When its last entry ends, or when it started if it has none. */
  public Instant lastMediaAt() {
    if (entries.isEmpty()) {
      return startedAt;
    }
    RecordingEntry last = entries.get(entries.size() - 1);
    return last.programDateTime().plusMillis(Math.round(last.duration() * 1000));
  }
}
