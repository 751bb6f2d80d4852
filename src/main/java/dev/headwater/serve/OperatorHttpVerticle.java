package dev.headwater.serve;

import dev.headwater.config.HeadwaterConfig;
import dev.headwater.metrics.Metrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The operator listener ({@code metrics.host}:{@code metrics.port}, loopback by default): {@code
 * /metrics} in Prometheus format and {@code /health}. Off the public listener because the metrics
 * name every stream and describe the process; with {@code metrics.token} set, {@code /metrics} also
 * wants {@code Authorization: Bearer TOKEN}. One instance: scrapes are rare.
 */
public final class OperatorHttpVerticle extends VerticleBase {
  private final HeadwaterConfig.MetricsListener config;
  private final Metrics metrics;
  private final Health health;
  private HttpServer server;

  OperatorHttpVerticle(HeadwaterConfig.MetricsListener config, Metrics metrics, Health health) {
    this.config = config;
    this.metrics = metrics;
    this.health = health;
  }

  /** The operator verticle of an HTTP side built by {@link HttpSide}. */
  public static OperatorHttpVerticle of(HeadwaterConfig config, Metrics metrics, HttpSide side) {
    return new OperatorHttpVerticle(config.metrics(), metrics, side.health());
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.get("/metrics").handler(this::metrics);
    router.get("/health").handler(health::handle);
    server =
        vertx.createHttpServer(
            new HttpServerOptions()
                .setHost(config.host())
                .setPort(config.port())
                // A scraper that hangs up badly does not keep its socket.
                .setIdleTimeout(60));
    return server.requestHandler(router).listen();
  }

  /** The port actually bound (useful with port 0). */
  public int port() {
    return server.actualPort();
  }

  private void metrics(RoutingContext rc) {
    if (!config.token().isEmpty() && !authorized(rc.request().getHeader("Authorization"))) {
      rc.response()
          .setStatusCode(401)
          .putHeader("WWW-Authenticate", "Bearer")
          .putHeader("Cache-Control", CachePolicy.NO_STORE)
          .end();
      return;
    }
    rc.response()
        .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
        .putHeader("Cache-Control", CachePolicy.NO_STORE)
        .end(metrics.registry().scrape());
  }

  /** Constant-time comparison: the time taken says nothing about how much of a guess was right. */
  private boolean authorized(String header) {
    byte[] expected = ("Bearer " + config.token()).getBytes(StandardCharsets.UTF_8);
    byte[] given = header == null ? new byte[0] : header.getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(expected, given);
  }
}
