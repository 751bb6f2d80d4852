package dev.headwater.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A heartbeat on every event loop: a task scheduled on each loop every {@value #PERIOD_MILLIS} ms
 * records the time it ran. A loop stuck in a long task (blocking I/O, a runaway computation) cannot
 * run it, so its last beat ages: {@code /health} reports DOWN past a limit, and {@code
 * headwater_event_loop_lag_seconds} shows the oldest beat's age. Vert.x's blocked-thread checker
 * only logs; this makes the same fact readable. Costs one tiny task per loop per period.
 */
public final class EventLoopHeartbeat {
  static final long PERIOD_MILLIS = 500;

  private final AtomicLongArray beats;
  private final List<ScheduledFuture<?>> tasks = new ArrayList<>();

  private EventLoopHeartbeat(int loops) {
    beats = new AtomicLongArray(loops);
  }

  /** Starts beating on every loop of {@code group} and registers the lag gauge. */
  public static EventLoopHeartbeat start(EventLoopGroup group, MeterRegistry registry) {
    List<EventExecutor> loops = new ArrayList<>();
    group.forEach(loops::add);
    EventLoopHeartbeat h = new EventLoopHeartbeat(loops.size());
    long now = System.nanoTime();
    for (int i = 0; i < loops.size(); i++) {
      int index = i;
      h.beats.set(i, now);
      h.tasks.add(
          loops
              .get(i)
              .scheduleAtFixedRate(
                  () -> h.beats.set(index, System.nanoTime()),
                  0,
                  PERIOD_MILLIS,
                  TimeUnit.MILLISECONDS));
    }
    Gauge.builder(
            "headwater_event_loop_lag_seconds", h, x -> x.maxLagNanos(System.nanoTime()) / 1e9)
        .description(
            "Age of the oldest event-loop heartbeat beyond its period: how long a loop has been stuck")
        .register(registry);
    return h;
  }

  /** Lag of each loop at {@code now}: how much later than due its last beat is (0 when on time). */
  public long[] lagNanos(long now) {
    long[] out = new long[beats.length()];
    for (int i = 0; i < out.length; i++) {
      out[i] = Math.max(0, now - beats.get(i) - PERIOD_MILLIS * 1_000_000);
    }
    return out;
  }

  long maxLagNanos(long now) {
    long max = 0;
    for (long lag : lagNanos(now)) {
      max = Math.max(max, lag);
    }
    return max;
  }

  /** Stops the heartbeat tasks. */
  public void stop() {
    tasks.forEach(t -> t.cancel(false));
  }
}
