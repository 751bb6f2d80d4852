package dev.headwater.timeline;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * All renditions of one stream at one instant, published atomically (RFC 8216bis 6.2.1: playlist
 * updates MUST be atomic as seen by clients) so a playlist and its rendition reports agree.
 *
 * <p>Rendered playlists are memoised on the snapshot: thousands of viewers asking for the same
 * playlist between two parts cost one rendering and one gzip.
 */
public final class StreamSnapshot {
  private final String stream;
  private final String sessionId;
  private final long version;
  private final Instant startedAt;
  private final List<RenditionSnapshot> renditions;
  private final boolean ended;
  private final ConcurrentHashMap<String, Object> memo = new ConcurrentHashMap<>();

  public StreamSnapshot(
      String stream,
      String sessionId,
      long version,
      Instant startedAt,
      List<RenditionSnapshot> renditions,
      boolean ended) {
    this.stream = stream;
    this.sessionId = sessionId;
    this.version = version;
    this.startedAt = startedAt;
    this.renditions = List.copyOf(renditions);
    this.ended = ended;
  }

  public String stream() {
    return stream;
  }

  public String sessionId() {
    return sessionId;
  }

  public long version() {
    return version;
  }

  public Instant startedAt() {
    return startedAt;
  }

  public List<RenditionSnapshot> renditions() {
    return renditions;
  }

  public boolean ended() {
    return ended;
  }

  public RenditionSnapshot rendition(String name) {
    for (RenditionSnapshot r : renditions) {
      if (r.name().equals(name)) {
        return r;
      }
    }
    return null;
  }

  /**
   * Every rendition has its init section (so the multivariant playlist names exact codecs) and a
   * complete segment (players such as hls.js treat a playlist without one as empty).
   */
  public boolean ready() {
    for (RenditionSnapshot r : renditions) {
      if (r.currentInit() == null || r.isEmpty() || !r.segments().get(0).complete()) {
        return false;
      }
    }
    return !renditions.isEmpty();
  }

  /** Computes once per key per snapshot; concurrent callers may both compute, which is harmless. */
  @SuppressWarnings("unchecked")
  public <T> T memo(String key, Function<String, T> compute) {
    Object v = memo.get(key);
    if (v == null) {
      v = compute.apply(key);
      memo.putIfAbsent(key, v);
    }
    return (T) v;
  }
}
