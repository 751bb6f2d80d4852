package dev.headwater.media.dash;

import java.util.List;

/**
 * A Period (23009-1 §5.3.2). Headwater makes one per encoder run: a run's timestamps restart at 0
 * and it has its own init segment, which is what a Period boundary expresses.
 *
 * @param id Period@id: stable across MPD updates (§5.3.2.2: "shall be unique" and identifies the
 *     Period in updates)
 * @param startMillis Period@start relative to MPD@availabilityStartTime (dynamic) or to the start
 *     of the presentation (static)
 * @param durationMillis Period@duration, or null for a Period that lasts until the next one or (the
 *     live edge) until further MPD updates
 */
public record DashPeriod(
    String id, long startMillis, Long durationMillis, List<DashAdaptationSet> adaptationSets) {

  public DashPeriod {
    adaptationSets = List.copyOf(adaptationSets);
    DashText.token(id, "Period@id");
    if (startMillis < 0 || (durationMillis != null && durationMillis < 0)) {
      throw new IllegalArgumentException("Period " + id + ": negative start or duration");
    }
  }
}
