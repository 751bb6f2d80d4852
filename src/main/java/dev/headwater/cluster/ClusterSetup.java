package dev.headwater.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import dev.headwater.config.HeadwaterConfig;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * Builds this origin's Hazelcast cluster manager and event bus options from {@code cluster.*}.
 * Members are found by TCP/IP only: multicast would reach whatever shares the network, and a
 * production origin must not join a stranger's cluster (or phone home: Hazelcast's usage reports
 * are off).
 */
public final class ClusterSetup {
  /** How many ports above {@code cluster.port} Hazelcast may take when it is in use. */
  static final int PORT_COUNT = 100;

  private ClusterSetup() {}

  public static HazelcastClusterManager clusterManager(HeadwaterConfig.Cluster c) {
    // Vert.x's defaults (its maps of event-bus subscriptions and node infos), then ours.
    Config hz = ConfigUtil.loadConfig();
    hz.setClusterName(c.name());
    hz.setProperty("hazelcast.phone.home.enabled", "false");
    hz.setProperty("hazelcast.logging.type", "slf4j");
    // Vert.x leaves the cluster itself when it closes; Hazelcast's own hook would race it.
    hz.setProperty("hazelcast.shutdownhook.enabled", "false");
    hz.setProperty("hazelcast.local.localAddress", c.host());
    // A member whose heartbeats stop for this long is removed, and its streams are released.
    long timeout = Math.max(2, Math.round(c.memberTimeoutSeconds()));
    hz.setProperty("hazelcast.max.no.heartbeat.seconds", Long.toString(timeout));
    hz.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    hz.getNetworkConfig().setPort(c.port()).setPortAutoIncrement(true).setPortCount(PORT_COUNT);
    JoinConfig join = hz.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(c.members());
    return new HazelcastClusterManager(hz);
  }

  /** The event bus between origins listens on the cluster address, not on every interface. */
  public static EventBusOptions eventBus(HeadwaterConfig.Cluster c) {
    return new EventBusOptions()
        .setHost(c.host())
        .setPort(c.eventBusPort())
        .setClusterPublicHost(c.host());
  }

  /** The base URL other origins forward requests to: {@code advertiseHttp}, or host + HTTP port. */
  public static String advertisedHttp(HeadwaterConfig.Cluster c, int httpPort) {
    if (!c.advertiseHttp().isEmpty()) {
      return c.advertiseHttp().replaceAll("/+$", "");
    }
    String host = c.host().contains(":") ? "[" + c.host() + "]" : c.host();
    return "http://" + host + ":" + httpPort;
  }
}
