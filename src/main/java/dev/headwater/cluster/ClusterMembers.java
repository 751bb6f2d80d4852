package dev.headwater.cluster;

/**
 * Who this origin is and which origins are in the cluster: what the publish relay watches to notice
 * that the origin at the other end is gone. {@link ClusterStreams} answers it from Hazelcast.
 */
public interface ClusterMembers {
  /** This origin's Vert.x node id. */
  String node();

  boolean isMember(String node);
}
