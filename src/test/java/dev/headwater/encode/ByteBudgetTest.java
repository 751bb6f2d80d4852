package dev.headwater.encode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ByteBudgetTest {
  private final ByteBudget budget = new ByteBudget(1000);
  private final AtomicInteger drains = new AtomicInteger();

  ByteBudgetTest() {
    budget.onDrain(drains::incrementAndGet);
  }

  @Test
  void isFullAtTheLimit() {
    budget.acquire(999);
    assertFalse(budget.full());
    budget.acquire(1);
    assertTrue(budget.full());
  }

  @Test
  void drainsOnceWhenUsageFallsToHalfAfterBeingFull() {
    budget.acquire(1200);
    assertTrue(budget.full());
    budget.release(600);
    assertEquals(0, drains.get(), "still above half the limit");
    budget.release(100);
    assertEquals(1, drains.get());
    budget.release(500);
    assertEquals(1, drains.get(), "one drain per full episode");
  }

  @Test
  void noDrainWithoutAFullEpisode() {
    budget.acquire(800);
    budget.release(800);
    assertEquals(0, drains.get());
  }

  @Test
  void aReleaseBeforeTheFullCheckIsSeenByTheRecheck() {
    budget.acquire(1000);
    budget.release(600);
    assertFalse(budget.full(), "usage fell below the limit before the caller asked");
  }
}
