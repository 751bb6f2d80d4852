package dev.headwater.record;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A recording in progress, as the {@link Recorder}'s thread keeps it. Only that thread touches it,
 * except {@link #markGap}, which the stream's owner calls when a group could not be queued.
 */
final class LiveRecording {
  final String name;
  final String session;
  final Instant startedAt;

  /** Null until the first group is stored (recording.json is written with it). */
  Recording current;

  /** "rendition/run" of each init section already stored. */
  final Set<String> storedInits = new HashSet<>();

  private final AtomicBoolean gap = new AtomicBoolean();

  LiveRecording(String name, String session, Instant startedAt) {
    this.name = name;
    this.session = session;
    this.startedAt = startedAt;
  }

  void markGap() {
    gap.set(true);
  }

  /** Whether groups were lost since the last stored one (and forgets it). */
  boolean takeGap() {
    return gap.getAndSet(false);
  }

  @Override
  public String toString() {
    return name + "/" + session;
  }
}
