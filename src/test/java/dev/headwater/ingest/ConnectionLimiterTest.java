package dev.headwater.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class ConnectionLimiterTest {
  static final long S = 1_000_000_000L;

  @Test
  void capsConnectionsPerAddressAndInAll() {
    ConnectionLimiter l = new ConnectionLimiter(5, 3, 100);
    for (int i = 0; i < 3; i++) {
      assertNull(l.tryAcquire("a", 0));
    }
    assertEquals(ConnectionLimiter.Refusal.PER_ADDRESS, l.tryAcquire("a", 0));
    assertNull(l.tryAcquire("b", 0));
    assertNull(l.tryAcquire("b", 0));
    assertEquals(ConnectionLimiter.Refusal.TOTAL, l.tryAcquire("c", 0));
    assertEquals(5, l.open());
    l.release("a");
    assertNull(l.tryAcquire("c", 0));
  }

  @Test
  void pacesNewConnectionsPerAddressAfterABurst() {
    ConnectionLimiter l = new ConnectionLimiter(1000, 4, 2.0);
    for (int i = 0; i < 4; i++) {
      assertNull(l.tryAcquire("a", 0));
      l.release("a");
    }
    // The burst (the per-address cap) is spent; closing connections does not give it back.
    assertEquals(ConnectionLimiter.Refusal.RATE, l.tryAcquire("a", 0));
    assertEquals(ConnectionLimiter.Refusal.RATE, l.tryAcquire("a", S / 4));
    assertNull(l.tryAcquire("a", S / 2), "one token after 0.5 s at 2/s");
    assertNull(l.tryAcquire("b", S / 2), "other addresses are not paced by a's");
  }

  @Test
  void sweepForgetsOnlyIdleAddressesWithAFullBucket() {
    ConnectionLimiter l = new ConnectionLimiter(1000, 4, 2.0);
    assertNull(l.tryAcquire("open", 0));
    assertNull(l.tryAcquire("closed", 0));
    l.release("closed");
    l.sweep(S / 10);
    assertEquals(2, l.addresses(), "closed's bucket is still refilling");
    l.sweep(10 * S);
    assertEquals(1, l.addresses());
    l.release("open");
    l.sweep(20 * S);
    assertEquals(0, l.addresses());
  }
}
