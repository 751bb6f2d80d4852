/**
 * Several origins as one cluster: the Hazelcast cluster manager ({@link
 * dev.headwater.cluster.ClusterSetup}) and the cluster-wide map of streams to the origin that owns
 * each ({@link dev.headwater.cluster.ClusterStreams}), and the publish relay that carries a
 * publisher connected to one origin to the origin that owns its live session ({@link
 * dev.headwater.cluster.PublishRelay} → {@link dev.headwater.cluster.RelayedPublisher}, over the
 * clustered event bus in the JSON and Buffer forms of {@link dev.headwater.cluster.RelayWire}; it
 * speaks the {@code bus} interfaces of a publisher, so it may depend on {@code bus} and {@code
 * media}, never on {@code stream} or {@code ingest}). A support layer: {@code stream} claims and
 * releases names in it, {@code serve} reads it to forward a viewer's request to the owner.
 */
package dev.headwater.cluster;
