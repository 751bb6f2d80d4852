package dev.headwater.serve;

import dev.headwater.metrics.StreamMeters;
import dev.headwater.timeline.StreamSnapshot;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A parked request: it waits, holding no thread, until a snapshot satisfies {@code ready}, then
 * {@code answer} runs with that snapshot; or until its deadline passes ({@code onTimeout} then
 * runs).
 */
final class Waiter {
  final String sessionId;
  final StreamMeters meters;
  final String rendition;

  /** {@code sessionId/rendition}: the waiter's bound counter, built once at park time. */
  final String boundKey;

  final Predicate<StreamSnapshot> ready;
  final Consumer<StreamSnapshot> answer;
  long deadlineNanos;
  Runnable onTimeout;
  boolean done;

  /** The connection's share it counts against; null: none (tests of the registry alone). */
  WaiterQuota.Account account;

  Waiter(
      String sessionId,
      StreamMeters meters,
      String rendition,
      Predicate<StreamSnapshot> ready,
      Consumer<StreamSnapshot> answer) {
    this.sessionId = sessionId;
    this.meters = meters;
    this.rendition = rendition;
    this.boundKey = sessionId + "/" + rendition;
    this.ready = ready;
    this.answer = answer;
  }
}
