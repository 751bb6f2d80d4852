package dev.headwater.record;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/**
 * A recording in progress, as the {@link Recorder}'s thread keeps it: only that thread touches it.
 */
final class LiveRecording {
  final String name;
  final String session;
  final Instant startedAt;

  /** Null until the first group is stored (recording.json is written with it). */
  Recording current;

  /** "rendition/run" of each init section already stored. */
  final Set<String> storedInits = new HashSet<>();

  LiveRecording(String name, String session, Instant startedAt) {
    this.name = name;
    this.session = session;
    this.startedAt = startedAt;
  }

  @Override
  public String toString() {
    return name + "/" + session;
  }
}
