package dev.headwater.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.netty.buffer.PooledByteBufAllocator;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.LoggerFactory;

/**
 * Catches the reports of Netty's {@code ResourceLeakDetector}. Netty finds a leak only when a
 * tracked object (a {@code ByteBuf}) was garbage-collected without being released, and says so only
 * by logging an error starting with "LEAK:" the next time that detector tracks an allocation. This
 * class listens to those log events through logback (Netty logs through SLF4J), and {@link
 * #collect} forces both halves: a garbage collection, then an allocation that makes the detector
 * look.
 *
 * <p>The state is global because the thing watched is: one detector per resource type, static in
 * Netty, logging to one logback context per JVM.
 */
public final class NettyLeakWatch {

  /** Netty's loggers; the detector logs under io.netty.util.ResourceLeakDetector. */
  static final String NETTY_LOGGER = "io.netty";

  private static final String APPENDER_NAME = "headwater-netty-leak-watch";

  private static final Queue<String> REPORTS = new ConcurrentLinkedQueue<>();

  /** How long {@link #collect} waits for the JVM to queue collected references (rarely needed). */
  private static final long GC_WAIT_MILLIS = 500;

  private NettyLeakWatch() {}

  /**
   * Attaches the listener to Netty's loggers. Idempotent, and called again before every test class
   * so that a test that reset logback does not silently switch the watch off.
   */
  public static void install() {
    if (!(LoggerFactory.getLogger(NETTY_LOGGER) instanceof Logger logger)) {
      throw new IllegalStateException("the Netty leak watch needs logback as the SLF4J provider");
    }
    if (logger.getAppender(APPENDER_NAME) == null) {
      Recorder recorder = new Recorder();
      recorder.setName(APPENDER_NAME);
      recorder.setContext(logger.getLoggerContext());
      recorder.start();
      logger.addAppender(recorder);
    }
    // ResourceLeakDetector.needReport(): a detector whose logger cannot log errors says nothing.
    if (!logger.isErrorEnabled()) {
      logger.setLevel(Level.ERROR);
    }
  }

  /**
   * Collects the garbage, makes the buffer leak detector poll for buffers that were collected
   * unreleased, and returns every LEAK report since the last call, forgetting them.
   */
  public static List<String> collect() {
    install();
    collectGarbage();
    // At the paranoid level (set for every test run in pom.xml) each allocation first reports the
    // leaks found since the last one.
    PooledByteBufAllocator.DEFAULT.directBuffer(1).release();
    PooledByteBufAllocator.DEFAULT.heapBuffer(1).release();
    return drain();
  }

  /** The LEAK reports since the last call, without collecting garbage first. */
  public static List<String> drain() {
    List<String> out = new ArrayList<>();
    for (String r; (r = REPORTS.poll()) != null; ) {
      out.add(r);
    }
    return out;
  }

  /**
   * A full collection, then a wait until a sentinel reference collected by it has been queued: the
   * JVM queues the references one collection cleared in order, so Netty's are queued by then too.
   */
  private static void collectGarbage() {
    ReferenceQueue<Object> queue = new ReferenceQueue<>();
    WeakReference<Object> sentinel = new WeakReference<>(new Object(), queue);
    System.gc();
    try {
      queue.remove(GC_WAIT_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Reference.reachabilityFence(sentinel);
  }

  /** Keeps the text of every Netty log event that reports a leak. */
  private static final class Recorder extends AppenderBase<ILoggingEvent> {
    @Override
    protected void append(ILoggingEvent event) {
      String message = event.getFormattedMessage();
      if (message != null && message.contains("LEAK:")) {
        REPORTS.add(event.getLoggerName() + ": " + message);
      }
    }
  }
}
