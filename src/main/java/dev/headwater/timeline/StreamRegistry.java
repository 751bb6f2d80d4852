package dev.headwater.timeline;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The streams this node knows: the live session per name (at most one publisher per name), and
 * every session still retained by id (an ended session stays downloadable for a while, RFC 8216bis
 * 6.2.1). Thread-safe; read from every event loop.
 */
public final class StreamRegistry {
  private final ConcurrentHashMap<String, LiveStream> live = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, LiveStream> sessions = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, LiveStream> latestByName = new ConcurrentHashMap<>();

  /** Claims {@code stream.name()} for a new publisher; false if another publisher is live on it. */
  public boolean claim(LiveStream stream) {
    if (live.putIfAbsent(stream.name(), stream) != null) {
      return false;
    }
    sessions.put(stream.sessionId(), stream);
    latestByName.put(stream.name(), stream);
    return true;
  }

  /**
   * The publisher left: the name is free again, the session stays readable until {@link #forget}.
   */
  public void release(LiveStream stream) {
    live.remove(stream.name(), stream);
  }

  /** Drops a session for good (after the ended-stream retention). */
  public void forget(LiveStream stream) {
    release(stream);
    sessions.remove(stream.sessionId(), stream);
    latestByName.remove(stream.name(), stream);
  }

  public LiveStream session(String sessionId) {
    return sessionId == null ? null : sessions.get(sessionId);
  }

  /** The newest session of a name: live, or ended but still retained. */
  public LiveStream latest(String name) {
    return latestByName.get(name);
  }

  public boolean isLive(String name) {
    return live.containsKey(name);
  }

  public List<LiveStream> liveStreams() {
    return new ArrayList<>(live.values());
  }

  public int liveCount() {
    return live.size();
  }
}
