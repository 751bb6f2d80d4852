package dev.headwater.timeline;

import dev.headwater.metrics.StreamMeters;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One publish session of a stream name. The segment watcher owns its timelines and swaps in a new
 * {@link StreamSnapshot} after each change; everyone else only reads {@link #snapshot()}.
 */
public final class LiveStream {
  private final String name;
  private final String sessionId;
  private final Instant startedAt;
  private volatile List<RenditionSpec> renditions = List.of();
  private final ConcurrentHashMap<Integer, Long> runAnchors = new ConcurrentHashMap<>();
  private volatile StreamSnapshot snapshot;

  private final StreamMeters meters;

  public LiveStream(String name, String sessionId, Instant startedAt, StreamMeters meters) {
    this.meters = meters;
    this.name = name;
    this.sessionId = sessionId;
    this.startedAt = startedAt;
    this.snapshot = new StreamSnapshot(name, sessionId, 0, startedAt, List.of(), false);
  }

  public StreamMeters meters() {
    return meters;
  }

  public String name() {
    return name;
  }

  public String sessionId() {
    return sessionId;
  }

  public Instant startedAt() {
    return startedAt;
  }

  public List<RenditionSpec> renditions() {
    return renditions;
  }

  /** Set by the encoder once it knows the source (before its first run), read by the segment watcher. */
  public void setRenditions(List<RenditionSpec> specs) {
    this.renditions = List.copyOf(specs);
  }

  public RenditionSpec rendition(String name) {
    for (RenditionSpec r : renditions) {
      if (r.name().equals(name)) {
        return r;
      }
    }
    return null;
  }

  public StreamSnapshot snapshot() {
    return snapshot;
  }

  public void publish(StreamSnapshot next) {
    this.snapshot = next;
  }

  /**
   * The wall-clock time (epoch ms) of media time 0 of encoder run {@code run}, set by the encoder
   * before it feeds that run its first tag; the timeline turns it into EXT-X-PROGRAM-DATE-TIME.
   */
  public void setRunAnchor(int run, long epochMillis) {
    runAnchors.put(run, epochMillis);
  }

  public Long runAnchor(int run) {
    return runAnchors.get(run);
  }
}
