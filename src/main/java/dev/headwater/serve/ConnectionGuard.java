package dev.headwater.serve;

import dev.headwater.metrics.Metrics;
import dev.headwater.metrics.Metrics.Closed;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2RemoteFlowController;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;

/**
 * The server's view of one client connection (HTTP/1.1 or HTTP/2; the same object across an h2c
 * upgrade), enforcing the per-connection limits. A Netty handler at the socket end of the pipeline
 * counts bytes in and out (a field add per read or write: no listener per write, which Vert.x's
 * all-idle timeout would attach); {@link HttpGuards} checks every guard of its event loop twice a
 * second. Touched only on the connection's event loop.
 *
 * <ul>
 *   <li><b>Outbound budget</b> ({@code http.writeBufferBytes}): Netty's write-buffer high-water
 *       mark of the channel. Over it the connection is <i>full</i>: Vert.x keeps further writes as
 *       references to the shared buffers (no copy) and Netty's HTTP/2 flow controller stops
 *       writing, so the bytes a slow reader pins in direct memory are the budget plus the message
 *       that crossed it. A request arriving while its connection is full waits (no thread held)
 *       until the queue drains to half the budget: one per HTTP/1.1 connection (Vert.x reads no
 *       further pipelined request until it is answered, and stops reading the socket after a few),
 *       at most {@code http.maxConcurrentStreams} per HTTP/2 connection. Refusing it instead (close
 *       or 503) would also hit well-behaved clients: a pipelined request right after a big segment
 *       finds the queue over budget until the kernel takes the bytes, and so does an edge's new
 *       stream right after a wake pass answered its 1,000 parked ones.
 *   <li><b>Write stall</b> ({@code http.writeStallSeconds}): a connection that stays full (over the
 *       budget, or HTTP/2 data waiting for a flow-control window the client does not open) and
 *       sends less than half a budget in that time does not read: it is closed at once (its queue
 *       discarded) and counted. A slow reader that keeps reading is never closed.
 *   <li><b>Request timeout</b> ({@code http.requestHeaderTimeoutSeconds}): a connection with no
 *       request in progress and nothing left to send is closed after the timeout. Vert.x's idle
 *       timeout restarts with every byte, so a client sending one header byte every few seconds
 *       (slowloris) would hold its connection for ever; here any bytes that do not complete a
 *       request do not count. The same rule is the keep-alive and the HTTP/2 connection idle limit.
 *       A parked blocking request is in progress.
 * </ul>
 */
final class ConnectionGuard extends ChannelDuplexHandler {
  static final io.netty.util.AttributeKey<ConnectionGuard> KEY =
      io.netty.util.AttributeKey.valueOf("headwater.connectionGuard");
  private static final String NAME = "headwater-connection-guard";

  /** The limits, in the units the checks use. */
  /**
   * @param sendBufferBytes the kernel's send buffer for a connection whose client is not trusted
   *     (0: the kernel's autotuning)
   */
  record Limits(int budgetBytes, long stallNanos, long requestTimeoutNanos, int sendBufferBytes) {}

  final Channel channel;
  final WaiterQuota.Account account;
  private final Limits limits;
  private final Metrics metrics;
  private HttpConnection connection;
  private Http2Connection http2;

  private long bytesIn;
  private long bytesOut;

  /** HTTP/1.1 requests admitted whose response has not started (HTTP/2 asks Netty's streams). */
  int inFlight;

  /** A request arrived since the last check. */
  private boolean active;

  private long idleSince;
  private long bytesInAtIdle;
  private long fullSince;
  private long drainedSinceFull;
  private long lastPending;
  private long lastBytesOut;
  private final ArrayDeque<Runnable> waitingForDrain = new ArrayDeque<>();
  private boolean closing;

  private ConnectionGuard(
      Channel channel, WaiterQuota.Account account, Limits limits, Metrics metrics, long now) {
    this.channel = channel;
    this.account = account;
    this.limits = limits;
    this.metrics = metrics;
    this.idleSince = now;
    this.fullSince = now;
  }

  /** The guard of {@code conn}'s channel, or null (not a server connection of ours). */
  static ConnectionGuard of(HttpConnection conn) {
    return conn instanceof ConnectionBase cb ? cb.channel().attr(KEY).get() : null;
  }

  /**
   * Guards {@code conn}: the first call for a channel sets its budget and adds the byte counter; a
   * later one (the HTTP/2 connection after an h2c upgrade) only takes the new connection object.
   * Returns the new guard, or null when the channel already had one.
   */
  static ConnectionGuard install(
      HttpConnection conn, WaiterQuota quota, Limits limits, Metrics metrics, long now) {
    Channel ch = ((ConnectionBase) conn).channel();
    ConnectionGuard g = ch.attr(KEY).get();
    boolean created = g == null;
    if (created) {
      InetSocketAddress remote = ch.remoteAddress() instanceof InetSocketAddress a ? a : null;
      g =
          new ConnectionGuard(
              ch, quota.account(remote == null ? null : remote.getAddress()), limits, metrics, now);
      ch.attr(KEY).set(g);
      if (limits.sendBufferBytes() > 0 && !g.account.exempt) {
        // A viewer's socket gets a fixed kernel queue: autotuning would grow it to MiBs and copy a
        // whole segment into it for a client that does not read. Trusted clients (CDN edges, one
        // connection for many viewers) keep autotuning, and with it their throughput.
        ch.config().setOption(io.netty.channel.ChannelOption.SO_SNDBUF, limits.sendBufferBytes());
      }
      ch.config()
          .setWriteBufferWaterMark(
              new WriteBufferWaterMark(limits.budgetBytes() / 2, limits.budgetBytes()));
      // At the socket end: it sees the bytes as they enter and leave the socket (TLS included).
      ch.pipeline().addFirst(NAME, g);
    }
    g.connection = conn;
    Http2ConnectionHandler h2 = ch.pipeline().get(Http2ConnectionHandler.class);
    g.http2 = h2 == null ? null : h2.connection();
    return created ? g : null;
  }

  // ---- Netty events (this connection's event loop) ----

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof ByteBuf b) {
      bytesIn += b.readableBytes();
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof ByteBuf b) {
      bytesOut += b.readableBytes();
    } else if (msg instanceof ByteBufHolder h) {
      bytesOut += h.content().readableBytes();
    }
    ctx.write(msg, promise);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    // Vert.x first (it starts writing what it held back), then the requests that waited.
    ctx.fireChannelWritabilityChanged();
    while (!waitingForDrain.isEmpty() && channel.isWritable()) {
      waitingForDrain.poll().run();
    }
  }

  // ---- requests ----

  /**
   * A request arrived. Returns true when it may be answered now; false when the connection is full
   * and {@code resume} was kept to run once it drains (it should call this again).
   */
  boolean admit(Runnable resume) {
    active = true;
    if (!channel.isWritable()) {
      waitingForDrain.add(resume);
      return false;
    }
    return true;
  }

  /**
   * Runs {@code resume} once the connection is back under its outbound budget (a streaming response
   * that stopped writing at the budget).
   */
  void whenWritable(Runnable resume) {
    waitingForDrain.add(resume);
  }

  boolean isHttp2() {
    return http2 != null;
  }

  // ---- the periodic check ----

  /**
   * Applies the write-stall and request-timeout rules at {@code now}; returns why the connection
   * must be closed, or null. The caller closes it after its pass (closing runs listeners).
   */
  Closed check(long now) {
    if (closing || !channel.isActive()) {
      return null;
    }
    ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
    long pending = out == null ? 0 : out.totalPendingWriteBytes();
    // Bytes that left for the kernel since the last check: the queue shrank by what left and grew
    // by what was written (Netty counts ~100 bytes of overhead per message: noise at this scale).
    long drained = (lastPending - pending) + (bytesOut - lastBytesOut);
    lastPending = pending;
    lastBytesOut = bytesOut;
    boolean full = !channel.isWritable() || flowBlocked();
    if (!full) {
      fullSince = now;
      drainedSinceFull = 0;
    } else {
      drainedSinceFull += Math.max(0, drained);
      if (drainedSinceFull >= limits.budgetBytes() / 2) {
        fullSince = now;
        drainedSinceFull = 0;
      } else if (now - fullSince >= limits.stallNanos()) {
        return Closed.WRITE_STALL;
      }
    }
    boolean busy =
        active
            || pending > 0
            || !waitingForDrain.isEmpty()
            || (http2 != null ? http2.numActiveStreams() > 0 : inFlight > 0);
    active = false;
    if (busy) {
      idleSince = now;
      bytesInAtIdle = bytesIn;
    } else if (now - idleSince >= limits.requestTimeoutNanos()) {
      return bytesIn > bytesInAtIdle && http2 == null ? Closed.PARTIAL_REQUEST : Closed.IDLE;
    }
    return null;
  }

  /**
   * HTTP/2 data waiting for a window the client has not opened (the connection's, or its stream's):
   * the client is not reading, though nothing is queued for the socket.
   */
  private boolean flowBlocked() {
    if (http2 == null || http2.numActiveStreams() == 0) {
      return false;
    }
    Http2RemoteFlowController flow = http2.remote().flowController();
    boolean connectionShut = flow.windowSize(http2.connectionStream()) <= 0;
    boolean[] blocked = {false};
    try {
      http2.forEachActiveStream(
          s -> {
            blocked[0] = flow.hasFlowControlled(s) && (connectionShut || flow.windowSize(s) <= 0);
            return !blocked[0];
          });
    } catch (Http2Exception e) {
      return false;
    }
    return blocked[0];
  }

  /**
   * Closes the connection abortively (a reset; what is queued is dropped), uncounted: the caller
   * counts its own reason. For a response that must not look complete to a cache.
   */
  void abort() {
    if (closing) {
      return;
    }
    closing = true;
    waitingForDrain.clear();
    channel.config().setOption(io.netty.channel.ChannelOption.SO_LINGER, 0);
    channel.unsafe().close(channel.voidPromise());
  }

  /**
   * Closes the connection for {@code reason} and counts it. A stalled one is closed at once, its
   * queue discarded (a graceful close would wait behind that queue); an idle HTTP/2 one gets a
   * GOAWAY first, so its client knows no request was lost.
   */
  void close(Closed reason) {
    if (closing) {
      return;
    }
    closing = true;
    metrics.closed(reason);
    waitingForDrain.clear();
    if (reason == Closed.IDLE && http2 != null) {
      connection.close();
    } else if (reason == Closed.WRITE_STALL || reason == Closed.PIPELINED_OVER_BUDGET) {
      // Abortive: a reset frees the kernel's send buffer at once (an orderly FIN would wait behind
      // the bytes the client does not read), and the channel's own close skips the pipeline, where
      // Vert.x would otherwise wait for the queued response to be written first.
      channel.config().setOption(io.netty.channel.ChannelOption.SO_LINGER, 0);
      channel.unsafe().close(channel.voidPromise());
    } else {
      // Nothing is queued for an idle or half-sent request: an orderly close.
      channel.close();
    }
  }
}
