package dev.headwater.encode;

import java.util.Comparator;
import java.util.PriorityQueue;

/** A {@link Scheduler} whose clock moves only when a test says so; due tasks run in time order. */
final class ManualScheduler implements Scheduler {
  private record Task(long due, long id, Runnable run) {}

  private final PriorityQueue<Task> tasks =
      new PriorityQueue<>(Comparator.comparingLong(Task::due).thenComparingLong(Task::id));
  private long now = 1_700_000_000_000L;
  private long nextId;

  @Override
  public long nowMillis() {
    return now;
  }

  @Override
  public long schedule(long delayMillis, Runnable task) {
    long id = nextId++;
    tasks.add(new Task(now + Math.max(0, delayMillis), id, task));
    return id;
  }

  @Override
  public void cancel(long id) {
    tasks.removeIf(t -> t.id() == id);
  }

  /**
   * Moves the clock forward, running every task that falls due on the way (and tasks they
   * schedule).
   */
  void advance(long millis) {
    long until = now + millis;
    while (!tasks.isEmpty() && tasks.peek().due() <= until) {
      Task t = tasks.poll();
      now = Math.max(now, t.due());
      t.run().run();
    }
    now = until;
  }

  int pending() {
    return tasks.size();
  }
}
