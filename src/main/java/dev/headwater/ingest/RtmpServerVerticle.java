package dev.headwater.ingest;

import dev.headwater.config.HeadwaterConfig;
import dev.headwater.media.rtmp.ReassemblyBudget;
import dev.headwater.media.rtmp.RtmpLimits;
import dev.headwater.metrics.IngestMeters;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RTMP ingest listener: one {@link RtmpConnection} per socket. Publishes that pass the app,
 * name and key checks are handed to the stream directory over the event bus ({@code
 * headwater.stream.publish}).
 *
 * <p>Facing the internet: a connection over {@code rtmp.maxConnectionsPerAddress} from one address,
 * or faster than {@code rtmp.maxNewConnectionsPerAddressPerSecond}, is closed at accept, before any
 * protocol work; at {@code rtmp.maxConnections} in all, the oldest connection not yet authorized is
 * closed to make room (only when every connection is a publisher is the new one refused), so a
 * flood of idle sockets cannot lock a real publisher out; connections not yet authorized share
 * {@code rtmp.maxPendingBytesTotal} of partial-message memory; every phase of a connection has a
 * deadline. Refusals and timeouts are counted per connection and logged as one summary line a
 * minute, since an attack brings them by thousands.
 */
public final class RtmpServerVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(RtmpServerVerticle.class);
  private static final long SUMMARY_MILLIS = 60_000;
  private static final long SWEEP_MILLIS = 5_000;

  private final HeadwaterConfig.Rtmp config;
  private final IngestMeters meters;
  private final ConnectionLimiter limiter;
  private final ReassemblyBudget anonymousBudget;
  private final AnonymousConnections anonymous = new AnonymousConnections();
  private NetServer server;
  private long summaryTimer = -1;
  private long sweepTimer = -1;
  private double closedAtLastSummary;

  public RtmpServerVerticle(HeadwaterConfig.Rtmp config, IngestMeters meters) {
    this.config = config;
    this.meters = meters;
    this.limiter =
        new ConnectionLimiter(
            config.maxConnections(),
            config.maxConnectionsPerAddress(),
            config.maxNewConnectionsPerAddressPerSecond());
    this.anonymousBudget = ReassemblyBudget.shared(config.maxPendingBytesTotal());
    meters.gauges(limiter::open, anonymousBudget::reserved);
  }

  public int port() {
    return server.actualPort();
  }

  @Override
  public Future<?> start() {
    ConnectionPolicy policy =
        new ConnectionPolicy(
            new RtmpLimits(
                config.maxMessageSize(),
                64,
                config.chunkSize(),
                config.windowAckSize(),
                config.maxQueuedBytes(),
                config.maxPendingBytes()),
            new PublishAuthorizer(config.app(), config.streamKeys()),
            anonymousBudget,
            limiter,
            anonymous,
            meters,
            millis(config.handshakeTimeoutSeconds()),
            millis(config.publishTimeoutSeconds()),
            millis(config.firstMediaTimeoutSeconds()),
            millis(config.mediaIdleTimeoutSeconds()));
    // No idle timeout: any byte would reset it. The connection's own deadlines replace it.
    server =
        vertx.createNetServer(
            new NetServerOptions()
                .setHost(config.host())
                .setPort(config.port())
                .setTcpNoDelay(true));
    server.connectHandler(socket -> accept(socket, policy));
    summaryTimer = vertx.setPeriodic(SUMMARY_MILLIS, id -> summarize());
    sweepTimer = vertx.setPeriodic(SWEEP_MILLIS, id -> limiter.sweep(System.nanoTime()));
    return server
        .listen()
        .onSuccess(
            s ->
                LOG.info(
                    "RTMP ingest listening on {}:{} (rtmp://HOST:{}/{}/NAME)",
                    config.host(),
                    s.actualPort(),
                    s.actualPort(),
                    config.app()));
  }

  private void accept(NetSocket socket, ConnectionPolicy policy) {
    String address =
        socket.remoteAddress() == null ? "unknown" : socket.remoteAddress().hostAddress();
    ConnectionLimiter.Refusal refusal = limiter.tryAcquire(address);
    if (refusal == ConnectionLimiter.Refusal.TOTAL) {
      RtmpConnection oldest = anonymous.pollOldest();
      if (oldest != null) {
        // Closing it returns its slot at once (RtmpConnection.close releases synchronously).
        oldest.evict();
        meters.evicted();
        refusal = limiter.tryAcquire(address);
      }
    }
    if (refusal != null) {
      meters.refused(refusal.tag);
      LOG.debug("RTMP {}: refused at accept ({} cap)", address, refusal.tag);
      socket.close();
      return;
    }
    new RtmpConnection(vertx, socket, policy, address).start();
  }

  private void summarize() {
    double closed = meters.closedTotal();
    if (closed > closedAtLastSummary) {
      LOG.warn(
          "RTMP: {} connections refused at accept, timed out or closed for bad input in the last"
              + " {} s ({} open, {} bytes held for unauthorized ones); see"
              + " headwater_rtmp_connections_refused, headwater_rtmp_timeouts,"
              + " headwater_rtmp_protocol_errors",
          (long) (closed - closedAtLastSummary),
          SUMMARY_MILLIS / 1000,
          limiter.open(),
          anonymousBudget.reserved());
      closedAtLastSummary = closed;
    }
  }

  private static long millis(double seconds) {
    return Math.round(seconds * 1000);
  }

  @Override
  public Future<?> stop() {
    if (summaryTimer >= 0) {
      vertx.cancelTimer(summaryTimer);
    }
    if (sweepTimer >= 0) {
      vertx.cancelTimer(sweepTimer);
    }
    return server == null ? Future.succeededFuture() : server.close();
  }
}
