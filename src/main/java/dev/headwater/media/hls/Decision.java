package dev.headwater.media.hls;

/**
 * What to do with a playlist request carrying Delivery Directives: {@link #READY}, {@link #WAIT} or
 * {@link BadRequest}.
 */
public sealed interface Decision permits Decision.Ready, Decision.Wait, Decision.BadRequest {

  /** Serve the current playlist now. */
  Decision READY = new Ready();

  /**
   * Park the request until the playlist position advances, then ask {@link
   * BlockingDecision#satisfied} again. §6.2.5.2: after blocking for more than three Target
   * Durations answer 503, never an unchanged playlist (that timer is the caller's).
   */
  Decision WAIT = new Wait();

  static Decision badRequest(String reason) {
    return new BadRequest(reason);
  }

  /** See {@link #READY}. */
  record Ready() implements Decision {}

  /** See {@link #WAIT}. */
  record Wait() implements Decision {}

  /** Answer 400 (Bad Request) now. */
  record BadRequest(String reason) implements Decision {}
}
