package dev.headwater.serve;

import dev.headwater.metrics.Metrics;
import dev.headwater.timeline.StreamSnapshot;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Parked blocking requests of one HTTP verticle instance (so only its event loop touches them). A
 * timeline update wakes a session's waiters in one pass over its list; each waiter is checked against
 * the new snapshot and answered or left parked. Bounded per rendition: past the bound a new waiter is
 * refused (the caller answers 503) rather than letting memory grow.
 */
final class WaiterRegistry {
  private final Vertx vertx;
  private final Metrics metrics;
  private final int maxPerRendition;
  private final Map<String, List<Waiter>> bySession = new HashMap<>();
  private final Map<String, Integer> perRendition = new HashMap<>();

  WaiterRegistry(Vertx vertx, Metrics metrics, int maxPerRendition) {
    this.vertx = vertx;
    this.metrics = metrics;
    this.maxPerRendition = maxPerRendition;
  }

  /**
   * Parks {@code w} until it is satisfied or {@code timeoutMillis} pass ({@code onTimeout} then runs).
   * Returns false, parking nothing, when the rendition's bound is reached.
   */
  boolean park(Waiter w, long timeoutMillis, Runnable onTimeout) {
    String key = w.sessionId + "/" + w.rendition;
    int n = perRendition.getOrDefault(key, 0);
    if (n >= maxPerRendition) {
      metrics.waiterRejected();
      return false;
    }
    perRendition.put(key, n + 1);
    bySession.computeIfAbsent(w.sessionId, k -> new ArrayList<>()).add(w);
    metrics.waiterParked();
    w.meters.waiting(1);
    w.timerId = vertx.setTimer(timeoutMillis, id -> {
      if (remove(w)) {
        metrics.waiterTimeout();
        onTimeout.run();
      }
    });
    return true;
  }

  /**
   * Parks a waiter that answers {@code res}: 503 (not cacheable) with {@code timeoutMessage} when the
   * timeout passes, 503 at once when the bound is reached, forgotten if the client goes away.
   */
  void parkResponse(Waiter w, long timeoutMillis, HttpServerResponse res, String timeoutMessage) {
    boolean parked = park(w, timeoutMillis, () -> PlaylistHandler.error(res, 503, CachePolicy.NO_STORE, timeoutMessage));
    if (!parked) {
      PlaylistHandler.error(res, 503, CachePolicy.NO_STORE, "too many waiting requests for this rendition");
      return;
    }
    res.closeHandler(v -> remove(w));
  }

  /** Forgets a waiter whose client went away. */
  boolean remove(Waiter w) {
    if (w.done) {
      return false;
    }
    w.done = true;
    List<Waiter> list = bySession.get(w.sessionId);
    if (list != null) {
      list.remove(w);
      if (list.isEmpty()) {
        bySession.remove(w.sessionId);
      }
    }
    release(w);
    return true;
  }

  /** A session's snapshot changed: answer every waiter it now satisfies. */
  void wake(StreamSnapshot snapshot, long publishedNanos) {
    List<Waiter> list = bySession.get(snapshot.sessionId());
    if (list == null) {
      return;
    }
    List<Waiter> ready = null;
    for (Iterator<Waiter> it = list.iterator(); it.hasNext(); ) {
      Waiter w = it.next();
      if (w.ready.test(snapshot)) {
        it.remove();
        w.done = true;
        release(w);
        vertx.cancelTimer(w.timerId);
        if (ready == null) {
          ready = new ArrayList<>();
        }
        ready.add(w);
      }
    }
    if (list.isEmpty()) {
      bySession.remove(snapshot.sessionId());
    }
    if (ready != null) {
      for (Waiter w : ready) {
        w.answer.accept(snapshot);
      }
      metrics.wakeDelayNanos(System.nanoTime() - publishedNanos);
    }
  }

  int size() {
    int n = 0;
    for (List<Waiter> l : bySession.values()) {
      n += l.size();
    }
    return n;
  }

  private void release(Waiter w) {
    metrics.waiterDone();
    w.meters.waiting(-1);
    String key = w.sessionId + "/" + w.rendition;
    perRendition.computeIfPresent(key, (k, v) -> v <= 1 ? null : v - 1);
  }
}
