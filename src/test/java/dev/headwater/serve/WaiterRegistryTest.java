package dev.headwater.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headwater.metrics.Metrics;
import dev.headwater.metrics.Metrics.WaiterRefusal;
import dev.headwater.metrics.StreamMeters;
import dev.headwater.timeline.StreamSnapshot;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The registry is driven directly from the test thread: it is single-threaded by design. */
class WaiterRegistryTest {
  private static final String SESSION = "sess1";
  private Vertx vertx;
  private Metrics metrics;
  private StreamMeters meters;
  private final List<Integer> answered = new ArrayList<>();
  private final List<Integer> timedOut = new ArrayList<>();

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    metrics = new Metrics();
    meters = metrics.forStream("demo");
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static StreamSnapshot snapshot(long version) {
    return new StreamSnapshot("demo", SESSION, version, Instant.EPOCH, List.of(), false);
  }

  /** Waiter number {@code id}, ready once the snapshot version reaches {@code version}. */
  private Waiter waiter(int id, long version) {
    return new Waiter(SESSION, meters, "720p", s -> s.version() >= version, s -> answered.add(id));
  }

  @Test
  void wakesReadyWaitersInArrivalOrderAndKeepsTheRest() {
    WaiterRegistry r = new WaiterRegistry(vertx, metrics, 100);
    long[] versions = {1, 2, 1, 3, 2};
    for (int i = 0; i < versions.length; i++) {
      assertNull(r.park(waiter(i, versions[i]), 1000, () -> {}));
    }
    r.wake(snapshot(2), System.nanoTime());
    assertEquals(List.of(0, 1, 2, 4), answered);
    assertEquals(1, r.size());
    r.wake(snapshot(3), System.nanoTime());
    assertEquals(List.of(0, 1, 2, 4, 3), answered);
    assertEquals(0, r.size());
  }

  @Test
  void wakesTenThousandWaitersInOnePass() {
    WaiterRegistry r = new WaiterRegistry(vertx, metrics, 20_000);
    for (int i = 0; i < 10_000; i++) {
      r.park(waiter(i, i % 2 == 0 ? 2 : 3), 1000, () -> {});
    }
    r.wake(snapshot(2), System.nanoTime());
    assertEquals(5_000, answered.size());
    assertEquals(5_000, r.size());
    for (int i = 0; i < 5_000; i++) {
      assertEquals(2 * i, answered.get(i));
    }
  }

  @Test
  void refusesPastTheBoundUntilAWaiterIsAnswered() {
    WaiterRegistry r = new WaiterRegistry(vertx, metrics, 2);
    assertNull(r.park(waiter(0, 1), 1000, () -> {}));
    assertNull(r.park(waiter(1, 5), 1000, () -> {}));
    assertEquals(WaiterRefusal.RENDITION, r.park(waiter(2, 5), 1000, () -> {}));
    assertEquals(
        1.0,
        metrics
            .registry()
            .find("headwater_waiter_rejected")
            .tag("reason", "rendition")
            .counter()
            .count());
    r.wake(snapshot(1), System.nanoTime());
    assertNull(r.park(waiter(3, 5), 1000, () -> {}));
  }

  @Test
  void waiterWhoseClientLeftIsNeverAnsweredAndFreesItsPlace() {
    WaiterRegistry r = new WaiterRegistry(vertx, metrics, 1);
    Waiter gone = waiter(0, 1);
    assertNull(r.park(gone, 1000, () -> {}));
    assertTrue(r.remove(gone));
    assertFalse(r.remove(gone));
    assertEquals(0, r.size());
    assertNull(r.park(waiter(1, 1), 1000, () -> {}));
    r.wake(snapshot(1), System.nanoTime());
    assertEquals(List.of(1), answered);
  }

  @Test
  void sweepTimesOutOnlyExpiredWaiters() {
    WaiterRegistry r = new WaiterRegistry(vertx, metrics, 100);
    long t0 = System.nanoTime();
    r.park(waiter(0, 9), 1000, () -> timedOut.add(0));
    r.park(waiter(1, 9), 5000, () -> timedOut.add(1));
    r.sweep(t0 + TimeUnit.MILLISECONDS.toNanos(500));
    assertEquals(List.of(), timedOut);
    r.sweep(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1000));
    assertEquals(List.of(0), timedOut);
    assertEquals(1, r.size());
    assertEquals(1.0, metrics.registry().find("headwater_waiter_timeouts").counter().count());
    // A timed-out waiter is not answered by a later part.
    r.wake(snapshot(9), System.nanoTime());
    assertEquals(List.of(1), answered);
  }

  @Test
  void keepsAWaiterParkedByAnAnswer() {
    // HTTP/1.1 pipelining: answering one request may bring the next one in, which parks at once.
    WaiterRegistry r = new WaiterRegistry(vertx, metrics, 100);
    r.park(
        new Waiter(
            SESSION,
            meters,
            "720p",
            s -> s.version() >= 1,
            s -> {
              answered.add(0);
              r.park(waiter(1, 2), 1000, () -> {});
            }),
        1000,
        () -> {});
    r.wake(snapshot(1), System.nanoTime());
    assertEquals(1, r.size());
    r.wake(snapshot(2), System.nanoTime());
    assertEquals(List.of(0, 1), answered);
  }

  @Test
  void timeoutSweepRunsOnItsOwn() throws Exception {
    WaiterRegistry r = new WaiterRegistry(vertx, metrics, 100);
    java.util.concurrent.CompletableFuture<Long> fired =
        new java.util.concurrent.CompletableFuture<>();
    long t0 = System.nanoTime();
    vertx.runOnContext(
        v -> {
          r.startSweeping();
          r.park(waiter(0, 9), 200, () -> fired.complete(System.nanoTime()));
        });
    long late = TimeUnit.NANOSECONDS.toMillis(fired.get(5, TimeUnit.SECONDS) - t0);
    assertTrue(
        late >= 200 && late < 200 + WaiterRegistry.SWEEP_MILLIS + 500,
        "timed out after " + late + " ms");
  }
}
