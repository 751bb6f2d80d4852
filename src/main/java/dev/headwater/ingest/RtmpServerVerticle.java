package dev.headwater.ingest;

import dev.headwater.config.HeadwaterConfig;
import dev.headwater.media.rtmp.RtmpLimits;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RTMP ingest listener: one {@link RtmpConnection} per socket. Publishes that pass the app,
 * name and key checks are handed to the stream directory over the event bus ({@code
 * headwater.stream.publish}).
 */
public final class RtmpServerVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(RtmpServerVerticle.class);
  private final HeadwaterConfig.Rtmp config;
  private final PublishAuthorizer authorizer;
  private NetServer server;

  public RtmpServerVerticle(HeadwaterConfig.Rtmp config) {
    this.config = config;
    this.authorizer = new PublishAuthorizer(config.app(), config.streamKeys());
  }

  public int port() {
    return server.actualPort();
  }

  @Override
  public Future<?> start() {
    RtmpLimits limits =
        new RtmpLimits(
            config.maxMessageSize(),
            64,
            config.chunkSize(),
            config.windowAckSize(),
            config.maxQueuedBytes());
    server =
        vertx.createNetServer(
            new NetServerOptions()
                .setHost(config.host())
                .setPort(config.port())
                .setTcpNoDelay(true)
                .setIdleTimeout(30));
    server.connectHandler(socket -> new RtmpConnection(vertx, socket, limits, authorizer).start());
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

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
