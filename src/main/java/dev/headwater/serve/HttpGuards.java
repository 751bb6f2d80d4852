package dev.headwater.serve;

import dev.headwater.config.HeadwaterConfig;
import dev.headwater.metrics.Metrics;
import dev.headwater.metrics.Metrics.Closed;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The {@link ConnectionGuard}s of one HTTP verticle instance: installs one per connection (the
 * server's connection handler), admits each request (the router's first handler), and checks them
 * all every {@value #CHECK_MILLIS} ms with one periodic timer (no timer per connection).
 *
 * <p>It also bounds the time before a connection's protocol is known, which Vert.x hands to no
 * handler: the bytes of an h2c preface or of the first HTTP/2 SETTINGS frame could otherwise
 * trickle in forever, each restarting the idle timeout. The first connection of the listener arms a
 * handler on the listening channel that gives every accepted connection the request timeout to
 * become a guarded one (TLS handshakes have Vert.x's own 10 s limit).
 */
final class HttpGuards {
  static final long CHECK_MILLIS = 500;
  private static final AttributeKey<Boolean> ARMED = AttributeKey.valueOf("headwater.acceptArmed");

  private final Vertx vertx;
  private final Metrics metrics;
  private final WaiterQuota quota;
  private final ConnectionGuard.Limits limits;
  private final Set<ConnectionGuard> guards = new HashSet<>();
  private Context context;

  HttpGuards(Vertx vertx, Metrics metrics, WaiterQuota quota, HeadwaterConfig.Http http) {
    this.vertx = vertx;
    this.metrics = metrics;
    this.quota = quota;
    this.limits =
        new ConnectionGuard.Limits(
            http.writeBufferBytes(),
            nanos(http.writeStallSeconds()),
            nanos(http.requestHeaderTimeoutSeconds()),
            http.sendBufferBytes());
  }

  /** Starts the periodic check on the calling verticle's context (cancelled with the verticle). */
  void start() {
    context = vertx.getOrCreateContext();
    vertx.setPeriodic(CHECK_MILLIS, id -> check(System.nanoTime()));
  }

  /** The server's connection handler. */
  void connected(HttpConnection conn) {
    ConnectionGuard g = ConnectionGuard.install(conn, quota, limits, metrics, System.nanoTime());
    if (g == null) {
      return;
    }
    guards.add(g);
    g.channel.closeFuture().addListener(f -> guards.remove(g));
    armListener(g.channel.parent());
  }

  /**
   * Adds the first-request deadline to the listening channel, once. Vert.x does not expose that
   * channel, only each connection's parent, so the verticle makes one request to itself at start
   * ({@link HlsHttpVerticle}): the listener is armed before it takes its first real client.
   */
  private void armListener(Channel listener) {
    if (listener != null && listener.attr(ARMED).setIfAbsent(Boolean.TRUE) == null) {
      listener.pipeline().addFirst(new AcceptDeadline(limits.requestTimeoutNanos(), metrics));
    }
  }

  /**
   * The router's first handler: a request on a full connection waits for it to drain (then comes
   * back here); others go on. HTTP/1.1 requests are in flight until their response starts.
   */
  void admit(RoutingContext rc) {
    ConnectionGuard g = ConnectionGuard.of(rc.request().connection());
    if (g == null) {
      rc.next();
      return;
    }
    if (!g.admit(() -> context.runOnContext(v -> resume(rc)))) {
      return;
    }
    if (!g.isHttp2()) {
      g.inFlight++;
      rc.addHeadersEndHandler(v -> g.inFlight--);
    }
    rc.next();
  }

  /**
   * {@link #admit(RoutingContext)} for {@link LiveDispatch}, which has no routing context: the same
   * drain wait and in-flight count, and the response counted by status (the router's second
   * handler) from the same single headers-end handler.
   */
  void admit(HttpServerRequest req, Handler<HttpServerRequest> next) {
    ConnectionGuard g = ConnectionGuard.of(req.connection());
    if (g != null && !g.admit(() -> context.runOnContext(v -> resume(req, next)))) {
      return;
    }
    HttpServerResponse res = req.response();
    if (g != null && !g.isHttp2()) {
      g.inFlight++;
      res.headersEndHandler(
          v -> {
            g.inFlight--;
            metrics.response(res.getStatusCode());
          });
    } else {
      res.headersEndHandler(v -> metrics.response(res.getStatusCode()));
    }
    next.handle(req);
  }

  private void resume(HttpServerRequest req, Handler<HttpServerRequest> next) {
    HttpServerResponse res = req.response();
    if (!res.closed() && !res.ended()) {
      admit(req, next);
    }
  }

  private void resume(RoutingContext rc) {
    HttpServerResponse res = rc.response();
    if (!res.closed() && !res.ended()) {
      admit(rc);
    }
  }

  /** One pass over the guards: closes those a rule condemns. */
  void check(long now) {
    List<ConnectionGuard> condemned = null;
    List<Closed> reasons = null;
    for (ConnectionGuard g : guards) {
      Closed reason = g.check(now);
      if (reason != null) {
        if (condemned == null) {
          condemned = new ArrayList<>();
          reasons = new ArrayList<>();
        }
        condemned.add(g);
        reasons.add(reason);
      }
    }
    for (int i = 0; condemned != null && i < condemned.size(); i++) {
      condemned.get(i).close(reasons.get(i));
    }
  }

  /** Connections guarded now (tests). */
  int size() {
    return guards.size();
  }

  private static long nanos(double seconds) {
    return Math.round(seconds * 1e9);
  }

  /**
   * On the listening channel: every accepted channel must have become a guarded connection within
   * the timeout, else it is closed. One scheduled task per accepted connection on the acceptor's
   * loop; it only reads an attribute when it fires.
   */
  @ChannelHandler.Sharable
  private static final class AcceptDeadline extends ChannelInboundHandlerAdapter {
    private final long timeoutNanos;
    private final Metrics metrics;

    AcceptDeadline(long timeoutNanos, Metrics metrics) {
      this.timeoutNanos = timeoutNanos;
      this.metrics = metrics;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof Channel child) {
        ctx.executor()
            .schedule(
                () -> {
                  if (child.isActive() && child.attr(ConnectionGuard.KEY).get() == null) {
                    metrics.closed(Closed.NO_FIRST_REQUEST);
                    child.close();
                  }
                },
                timeoutNanos,
                TimeUnit.NANOSECONDS);
      }
      ctx.fireChannelRead(msg);
    }
  }
}
