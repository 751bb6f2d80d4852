package dev.headwater.record;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every recording the store holds, in memory: written by the {@link Recorder}'s thread alone, read
 * by any thread (the values are immutable). Rebuilt from the store when the origin starts.
 */
public final class Catalogue {
  private final ConcurrentHashMap<String, Recording> recordings = new ConcurrentHashMap<>();

  public Recording get(String name, String session) {
    return recordings.get(RecordingKeys.base(name, session));
  }

  /** Newest first. */
  public List<Recording> list() {
    List<Recording> out = new ArrayList<>(recordings.values());
    out.sort(Comparator.comparing(Recording::startedAt).reversed());
    return out;
  }

  /** All recordings' bytes together. */
  public long totalSize() {
    long n = 0;
    for (Recording r : recordings.values()) {
      n += r.size();
    }
    return n;
  }

  void put(Recording r) {
    recordings.put(r.key(), r);
  }

  void remove(Recording r) {
    recordings.remove(r.key());
  }
}
