package dev.headwater.ingest;

import dev.headwater.media.rtmp.ReassemblyBudget;
import dev.headwater.media.rtmp.RtmpLimits;
import dev.headwater.metrics.IngestMeters;

/**
 * What every RTMP connection of one listener shares: protocol bounds, the key check, the byte
 * budget of connections not yet authorized, the connection caps, the connections that may be
 * evicted at the cap, the deadlines and the meters.
 *
 * @param handshakeMillis accept to handshake complete
 * @param publishMillis handshake complete to publish accepted
 * @param firstMediaMillis publish accepted to the first audio or video message
 * @param mediaIdleMillis longest silence of a publishing connection (time paused by us excluded)
 */
record ConnectionPolicy(
    RtmpLimits limits,
    PublishAuthorizer authorizer,
    ReassemblyBudget anonymousBudget,
    ConnectionLimiter limiter,
    AnonymousConnections anonymous,
    IngestMeters meters,
    long handshakeMillis,
    long publishMillis,
    long firstMediaMillis,
    long mediaIdleMillis) {}
