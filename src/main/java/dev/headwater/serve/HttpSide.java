package dev.headwater.serve;

import dev.headwater.config.HeadwaterConfig;
import dev.headwater.metrics.EventLoopHeartbeat;
import dev.headwater.timeline.StreamRegistry;

/**
 * What the HTTP verticle instances share: the fair-share accountant of parked requests (a client's
 * connections land on every instance) and the health report. Built once by the composition root.
 */
public final class HttpSide {
  private final WaiterQuota quota;
  private final Health health;

  /**
   * @param heartbeat the event loops' heartbeat that {@code /health} checks; null: not checked
   */
  public HttpSide(HeadwaterConfig config, StreamRegistry registry, EventLoopHeartbeat heartbeat) {
    this.quota = WaiterQuota.of(config.http());
    this.health = new Health(registry, config.ffmpeg(), heartbeat);
  }

  WaiterQuota quota() {
    return quota;
  }

  Health health() {
    return health;
  }
}
