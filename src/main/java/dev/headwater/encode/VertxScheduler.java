package dev.headwater.encode;

import io.vertx.core.Vertx;

/**
 * {@link Scheduler} on Vert.x timers: called from a verticle's context, tasks run on that context.
 */
public final class VertxScheduler implements Scheduler {
  private final Vertx vertx;

  public VertxScheduler(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public long nowMillis() {
    return System.currentTimeMillis();
  }

  @Override
  public long schedule(long delayMillis, Runnable task) {
    return vertx.setTimer(Math.max(1, delayMillis), id -> task.run());
  }

  @Override
  public void cancel(long id) {
    vertx.cancelTimer(id);
  }
}
