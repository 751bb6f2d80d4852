package dev.headwater.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.netty.buffer.PooledByteBufAllocator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/**
 * Proves that a leak fails a run: runs a test class that drops a pooled buffer unreleased through
 * the JUnit engine, as surefire and failsafe do, and checks that the class is reported failed.
 */
class FailOnNettyLeakTest {

  /** Only this test lets {@link LeakingClass} leak, should anything else ever run it. */
  static volatile boolean armed;

  @Test
  void failsTheTestClassThatLeakedABuffer() {
    Events containers;
    armed = true;
    try {
      containers =
          EngineTestKit.engine("junit-jupiter")
              .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
              .selectors(selectClass(LeakingClass.class))
              .execute()
              .containerEvents();
    } finally {
      armed = false;
    }
    List<Event> failed = containers.failed().list();
    assertEquals(
        1, failed.size(), () -> "expected the leaking class to fail: " + containers.list());
    TestExecutionResult result = failed.get(0).getPayload(TestExecutionResult.class).orElseThrow();
    Throwable cause = result.getThrowable().orElseThrow();
    assertInstanceOf(AssertionError.class, cause);
    assertTrue(cause.getMessage().contains("LEAK:"), cause.getMessage());
    assertTrue(cause.getMessage().contains("LeakingClass"), cause.getMessage());
  }

  /** A test whose only fault is a buffer it never releases. Not run by surefire (nested). */
  static class LeakingClass {
    @Test
    void dropsABufferWithoutReleasingIt() {
      assumeTrue(armed, "run only by FailOnNettyLeakTest");
      PooledByteBufAllocator.DEFAULT.directBuffer(128).writeInt(7);
    }
  }
}
