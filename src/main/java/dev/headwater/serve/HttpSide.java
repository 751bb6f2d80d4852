package dev.headwater.serve;

import dev.headwater.cluster.ClusterStreams;
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

  /** Null: a single origin. */
  private final ClusterStreams cluster;

  /**
   * @param heartbeat the event loops' heartbeat that {@code /health} checks; null: not checked
   */
  public HttpSide(HeadwaterConfig config, StreamRegistry registry, EventLoopHeartbeat heartbeat) {
    this(config, registry, heartbeat, null);
  }

  /**
   * @param cluster the cluster's stream map (requests for streams other origins own are forwarded);
   *     null: a single origin
   */
  public HttpSide(
      HeadwaterConfig config,
      StreamRegistry registry,
      EventLoopHeartbeat heartbeat,
      ClusterStreams cluster) {
    this.quota = WaiterQuota.of(config.http());
    this.health = new Health(registry, config.ffmpeg(), heartbeat, cluster);
    this.cluster = cluster;
    if (cluster != null) {
      quota.trustPeers(a -> cluster.isOrigin(a.getHostAddress()));
    }
  }

  ClusterStreams cluster() {
    return cluster;
  }

  WaiterQuota quota() {
    return quota;
  }

  Health health() {
    return health;
  }
}
