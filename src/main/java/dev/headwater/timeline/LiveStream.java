package dev.headwater.timeline;

import dev.headwater.metrics.StreamMeters;
import java.time.Instant;
import java.util.List;

/**
 * One publish session of a stream name, as readers see it. Its owner (the stream's owner verticle)
 * swaps in a new {@link StreamSnapshot} after each change; everyone else only reads {@link
 * #snapshot()}. A publisher that reconnects within the grace period continues the same session.
 */
public final class LiveStream {
  private final String name;
  private final String sessionId;
  private final Instant startedAt;
  private final StreamMeters meters;
  private volatile StreamSnapshot snapshot;
  private volatile List<RenditionSpec> renditions = List.of();

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

  /**
   * The renditions the encoder produces, known before their first byte (empty until the source is
   * probed).
   */
  public List<RenditionSpec> renditions() {
    return renditions;
  }

  public RenditionSpec rendition(String name) {
    for (RenditionSpec r : renditions) {
      if (r.name().equals(name)) {
        return r;
      }
    }
    return null;
  }

  /** Called by the stream's owner only, when the ladder for a (new) source is planned. */
  public void plan(List<RenditionSpec> specs) {
    this.renditions = List.copyOf(specs);
  }

  public StreamSnapshot snapshot() {
    return snapshot;
  }

  /** Called by the stream's owner only. */
  public void publish(StreamSnapshot next) {
    this.snapshot = next;
  }
}
