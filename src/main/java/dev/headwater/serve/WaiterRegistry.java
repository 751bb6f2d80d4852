package dev.headwater.serve;

import dev.headwater.metrics.Metrics;
import dev.headwater.metrics.Metrics.WaiterRefusal;
import dev.headwater.timeline.StreamSnapshot;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Parked blocking requests of one HTTP verticle instance (so only its event loop touches them). A
 * timeline update wakes a session's waiters in one pass over its list; each waiter is checked
 * against the new snapshot and answered or left parked. Bounded per rendition, and by the fair
 * shares of the {@link WaiterQuota} (per connection, per client, all bytes): past a bound the new
 * waiter is refused (the caller answers 503) rather than letting memory grow.
 *
 * <p>Costs are kept linear in the waiters, since one part may wake 10,000 of them: a pass compacts
 * the list in place instead of removing answered waiters one by one (quadratic on an array list); a
 * waiter whose client left is only marked done and dropped by the next pass or sweep; and there is
 * no timer per waiter (Vert.x timers cost a concurrent-map entry and a heap insert and cancel each)
 * but one periodic {@link #sweep} that answers the expired ones, at most {@value #SWEEP_MILLIS} ms
 * late.
 */
final class WaiterRegistry {
  /** Period of the timeout sweep: a timed-out request gets its 503 up to this much late. */
  static final long SWEEP_MILLIS = 100;

  private final Vertx vertx;
  private final Metrics metrics;
  private final int maxPerRendition;
  private final WaiterQuota quota;
  private final Map<String, ArrayList<Waiter>> bySession = new HashMap<>();
  private final Map<String, Integer> perRendition = new HashMap<>();

  WaiterRegistry(Vertx vertx, Metrics metrics, int maxPerRendition) {
    this(vertx, metrics, maxPerRendition, WaiterQuota.unlimited());
  }

  WaiterRegistry(Vertx vertx, Metrics metrics, int maxPerRendition, WaiterQuota quota) {
    this.vertx = vertx;
    this.metrics = metrics;
    this.maxPerRendition = maxPerRendition;
    this.quota = quota;
  }

  /** Starts the timeout sweep on the calling verticle's context (cancelled with the verticle). */
  void startSweeping() {
    vertx.setPeriodic(SWEEP_MILLIS, id -> sweep(System.nanoTime()));
  }

  /**
   * Parks {@code w} until it is satisfied or {@code timeoutMillis} pass ({@code onTimeout} then
   * runs). Returns null when parked, or the bound that refuses it (nothing parked): the
   * rendition's, or a share of {@code w.account} (when it has one).
   */
  WaiterRefusal park(Waiter w, long timeoutMillis, Runnable onTimeout) {
    String key = w.boundKey;
    int n = perRendition.getOrDefault(key, 0);
    WaiterRefusal refused =
        n >= maxPerRendition
            ? WaiterRefusal.RENDITION
            : w.account == null ? null : quota.acquire(w.account);
    if (refused != null) {
      metrics.waiterRejected(refused);
      return refused;
    }
    perRendition.put(key, n + 1);
    w.deadlineNanos = System.nanoTime() + timeoutMillis * 1_000_000;
    w.onTimeout = onTimeout;
    bySession.computeIfAbsent(w.sessionId, k -> new ArrayList<>()).add(w);
    metrics.waiterParked();
    w.meters.waiting(1);
    return null;
  }

  /**
   * Parks a waiter that answers {@code req}: 503 (not cacheable) with {@code timeoutMessage} when
   * the timeout passes, 503 at once with {@code Retry-After} when a bound refuses it, forgotten if
   * the client goes away. The waiter counts against the shares of the request's connection.
   */
  void parkResponse(Waiter w, long timeoutMillis, HttpServerRequest req, String timeoutMessage) {
    HttpServerResponse res = req.response();
    ConnectionGuard guard = ConnectionGuard.of(req.connection());
    w.account = guard == null ? null : guard.account;
    WaiterRefusal refused =
        park(
            w,
            timeoutMillis,
            () -> PlaylistHandler.error(res, 503, CachePolicy.NO_STORE, timeoutMessage));
    if (refused != null) {
      res.putHeader(H_RETRY_AFTER, RETRY_AFTER);
      PlaylistHandler.error(res, 503, CachePolicy.NO_STORE, refusalMessage(refused));
      return;
    }
    res.closeHandler(v -> remove(w));
  }

  private static final CharSequence H_RETRY_AFTER = HttpHeaders.createOptimized("retry-after");

  /** A refused player tries again within a few parts; by then a slot may be free. */
  private static final CharSequence RETRY_AFTER = HttpHeaders.createOptimized("1");

  static String refusalMessage(WaiterRefusal r) {
    return switch (r) {
      case RENDITION -> "too many waiting requests for this rendition";
      case CONNECTION -> "too many waiting requests on this connection";
      case CLIENT -> "too many waiting requests from this client address";
      case MEMORY -> "too many waiting requests on this server";
    };
  }

  /** Forgets a waiter whose client went away; its list entry goes at the next pass or sweep. */
  boolean remove(Waiter w) {
    if (w.done) {
      return false;
    }
    finish(w);
    return true;
  }

  /** A session's snapshot changed: answer every waiter it now satisfies. */
  void wake(StreamSnapshot snapshot, long publishedNanos) {
    ArrayList<Waiter> list = bySession.get(snapshot.sessionId());
    if (list == null) {
      return;
    }
    List<Waiter> ready = new ArrayList<>();
    if (takeDue(list, w -> w.ready.test(snapshot), ready)) {
      bySession.remove(snapshot.sessionId());
    }
    if (ready.isEmpty()) {
      return;
    }
    // Answered after the list is consistent: an answer may park a new request (HTTP/1.1
    // pipelining).
    for (Waiter w : ready) {
      w.answer.accept(snapshot);
    }
    // Measured in a task queued behind this one: HTTP/2 writes of the pass are flushed in tasks
    // queued during it (Http2FlushConsolidation), and the figure is meant to include them.
    vertx.runOnContext(v -> metrics.wakeDelayNanos(System.nanoTime() - publishedNanos));
  }

  /** Answers the waiters whose deadline is before {@code nowNanos} and drops those already done. */
  void sweep(long nowNanos) {
    List<Waiter> expired = new ArrayList<>();
    bySession
        .values()
        .removeIf(list -> takeDue(list, w -> nowNanos - w.deadlineNanos >= 0, expired));
    for (Waiter w : expired) {
      metrics.waiterTimeout();
      w.onTimeout.run();
    }
  }

  /**
   * One linear pass over a session's list: finishes the waiters {@code isDue} selects and appends
   * them to {@code out} in arrival order, drops those already done, compacts the rest in place.
   * Returns whether the list is now empty. Callers answer {@code out} afterwards, when the lists
   * are consistent.
   */
  private boolean takeDue(ArrayList<Waiter> list, Predicate<Waiter> isDue, List<Waiter> out) {
    int kept = 0;
    for (int i = 0, n = list.size(); i < n; i++) {
      Waiter w = list.get(i);
      if (w.done) {
        continue;
      }
      if (isDue.test(w)) {
        finish(w);
        out.add(w);
      } else {
        list.set(kept++, w);
      }
    }
    list.subList(kept, list.size()).clear();
    return list.isEmpty();
  }

  /** Waiters parked and not yet answered, timed out or gone. */
  int size() {
    int n = 0;
    for (List<Waiter> l : bySession.values()) {
      for (Waiter w : l) {
        n += w.done ? 0 : 1;
      }
    }
    return n;
  }

  private void finish(Waiter w) {
    w.done = true;
    metrics.waiterDone();
    w.meters.waiting(-1);
    perRendition.computeIfPresent(w.boundKey, (k, v) -> v <= 1 ? null : v - 1);
    if (w.account != null) {
      quota.release(w.account);
    }
  }
}
