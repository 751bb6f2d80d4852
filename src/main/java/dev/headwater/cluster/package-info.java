/**
 * Several origins as one cluster: the Hazelcast cluster manager ({@link
 * dev.headwater.cluster.ClusterSetup}) and the cluster-wide map of streams to the origin that owns
 * each ({@link dev.headwater.cluster.ClusterStreams}). A support layer: {@code stream} claims and
 * releases names in it, {@code serve} reads it to forward a viewer's request to the owner.
 */
package dev.headwater.cluster;
