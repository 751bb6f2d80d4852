package dev.headwater.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NettyLeakWatchTest {

  @Test
  void runsAtTheParanoidLevelThePomSets() {
    assertEquals(ResourceLeakDetector.Level.PARANOID, ResourceLeakDetector.getLevel());
  }

  @Test
  void catchesAPooledBufferDroppedWithoutRelease() {
    leakOneBuffer();
    List<String> reports = collectUntilReported();
    assertTrue(
        reports.stream().anyMatch(r -> r.contains("LEAK: ByteBuf.release() was not called")),
        () -> "no LEAK report: " + reports);
    assertTrue(
        reports.stream().anyMatch(r -> r.contains("leakOneBuffer")),
        () -> "the report does not point at the allocation: " + reports);
  }

  @Test
  void reportsNothingForReleasedBuffers() {
    ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(64);
    buf.writeLong(42);
    buf.release();
    assertEquals(List.of(), NettyLeakWatch.collect());
  }

  /** Allocates in a method of its own so that no frame keeps the buffer reachable. */
  private static void leakOneBuffer() {
    ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(256);
    buf.writeBytes(new byte[100]);
  }

  /**
   * A collection finds the buffer at once in practice; a few more tries keep a busy machine from
   * making this test flaky.
   */
  static List<String> collectUntilReported() {
    List<String> reports = new ArrayList<>();
    for (int i = 0; i < 20 && reports.isEmpty(); i++) {
      reports.addAll(NettyLeakWatch.collect());
    }
    return reports;
  }
}
