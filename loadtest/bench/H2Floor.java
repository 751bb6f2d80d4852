import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http2.AbstractHttp2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP/2 reference for the fan-out benchmark: the least work a Netty HTTP/2 server does to answer N
 * parked streams in one pass, with none of Vert.x above it. Netty's own HTTP/2 codec (the one beneath
 * Vert.x, from headwater.jar) parks every request h2load sends, then each event loop answers its
 * connections' streams — HEADERS with the six header fields Headwater sends and one DATA frame of BYTES
 * (the size of Headwater's gzipped media playlist), then one flush per connection — and the time from
 * the wake to the last flush of each loop is one pass, as Headwater's
 * {@code headwater_waiter_wake_delay} measures its own. Same client as FanOut.java --h2: h2load on
 * ceil(N / 1,000) connections of up to 1,000 streams, at nice NICE (environment, default 19).
 *
 * <p>Usage: java -cp target/headwater.jar loadtest/bench/H2Floor.java N ROUNDS [WARMUP [LOOPS [BYTES]]]
 */
public class H2Floor {
  static final AsciiString CONTENT_TYPE = AsciiString.cached("application/vnd.apple.mpegurl");
  static final AsciiString CACHE_CONTROL = AsciiString.cached("public, max-age=1");
  static final AsciiString VARY = AsciiString.cached("Accept-Encoding");
  static final AsciiString GZIP = AsciiString.cached("gzip");

  /** Every connection's handler, to wake them; each one only touched on its own event loop. */
  static final List<Handler> HANDLERS = new ArrayList<>();
  static final AtomicInteger PARKED = new AtomicInteger();
  static ByteBuf body;
  /** h2load's niceness, as fanout.sh runs FanOut.java (NICE there too): the server is not niced. */
  static final String NICE = System.getenv().getOrDefault("NICE", "19");

  static final class Handler extends Http2ConnectionHandler {
    final List<Integer> parked = new ArrayList<>();
    ChannelHandlerContext ctx;

    Handler(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings settings) {
      super(decoder, encoder, settings);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
      super.handlerAdded(ctx);
      this.ctx = ctx;
      synchronized (HANDLERS) {
        HANDLERS.add(this);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      synchronized (HANDLERS) {
        HANDLERS.remove(this);
      }
      super.channelInactive(ctx);
    }

    /** Answers every parked stream of this connection, then flushes once. */
    void answerAll() {
      for (int id : parked) {
        Http2Headers h = new DefaultHttp2Headers().status("200")
            .set("content-type", CONTENT_TYPE).set("cache-control", CACHE_CONTROL).set("vary", VARY)
            .set("content-encoding", GZIP).setInt("content-length", body.readableBytes());
        encoder().writeHeaders(ctx, id, h, 0, false, ctx.voidPromise());
        encoder().writeData(ctx, id, body.retainedDuplicate(), 0, true, ctx.voidPromise());
      }
      parked.clear();
      ctx.flush();
    }
  }

  static final class Builder extends AbstractHttp2ConnectionHandlerBuilder<Handler, Builder> {
    Builder() {
      initialSettings(Http2Settings.defaultSettings().maxConcurrentStreams(1000)); // as Headwater's default
    }

    @Override
    public Handler build() {
      return super.build();
    }

    @Override
    protected Handler build(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings settings) {
      Handler h = new Handler(decoder, encoder, settings);
      frameListener(new Http2FrameAdapter() {
        @Override
        public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding, boolean endStream) {
          h.parked.add(streamId);
          PARKED.incrementAndGet();
        }

        @Override
        public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int dependency,
            short weight, boolean exclusive, int padding, boolean endStream) {
          onHeadersRead(ctx, streamId, headers, padding, endStream);
        }
      });
      return h;
    }
  }

  public static void main(String[] args) throws Exception {
    int n = Integer.parseInt(args[0]);
    int rounds = Integer.parseInt(args[1]);
    int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    int loops = args.length > 3 ? Integer.parseInt(args[3]) : 2;
    int bytes = args.length > 4 ? Integer.parseInt(args[4]) : 511;
    byte[] b = new byte[bytes];
    new Random(1).nextBytes(b); // incompressible, like a gzipped playlist
    body = Unpooled.unreleasableBuffer(Unpooled.directBuffer(bytes).writeBytes(b));
    if (!Epoll.isAvailable()) {
      throw new IllegalStateException("Netty epoll is not available: " + Epoll.unavailabilityCause());
    }
    EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    EventLoopGroup workers = new MultiThreadIoEventLoopGroup(loops, EpollIoHandler.newFactory());
    Channel server = new ServerBootstrap().group(boss, workers).channel(EpollServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new Builder().build());
          }
        })
        .bind("127.0.0.1", 0).sync().channel();
    int port = ((java.net.InetSocketAddress) server.localAddress()).getPort();
    List<Double> passes = new ArrayList<>();
    int errors = 0;
    for (int round = 0; round < rounds + warmup; round++) {
      PARKED.set(0);
      int connections = (n + 999) / 1000;
      Process h2load = new ProcessBuilder("nice", "-n", NICE, "h2load", "-n", "" + n, "-c", "" + connections, "-m", "" + (n / connections),
          "-H", "accept-encoding: gzip", "http://127.0.0.1:" + port + "/index.m3u8").redirectErrorStream(true).start();
      long limit = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (PARKED.get() < n && System.nanoTime() < limit) {
        Thread.sleep(5);
      }
      Thread.sleep(200); // as FanOut parks ahead: the intake is over before the wake
      Map<EventExecutor, Long> passEnd = new ConcurrentHashMap<>();
      List<Handler> all;
      synchronized (HANDLERS) {
        all = new ArrayList<>(HANDLERS);
      }
      CountDownLatch done = new CountDownLatch(all.size());
      long t0 = System.nanoTime();
      for (Handler h : all) {
        h.ctx.executor().execute(() -> {
          h.answerAll();
          passEnd.merge(h.ctx.executor(), System.nanoTime(), Math::max);
          done.countDown();
        });
      }
      done.await(30, TimeUnit.SECONDS);
      String out = new String(h2load.getInputStream().readAllBytes());
      h2load.waitFor();
      Matcher m = Pattern.compile("status codes: (\\d+) 2xx").matcher(out);
      int ok = m.find() ? Integer.parseInt(m.group(1)) : 0;
      double[] ms = passEnd.values().stream().mapToDouble(t -> (t - t0) / 1e6).toArray();
      boolean counted = round >= warmup;
      if (counted) {
        errors += n - ok;
        for (double d : ms) {
          passes.add(d);
        }
      }
      System.out.printf(Locale.ROOT, "round %d%s: %d/%d answered 200; wake -> last flush per event loop: %s ms%n",
          round + 1, counted ? "" : " (warm-up)", ok, n, Arrays.toString(Arrays.stream(ms).map(d -> Math.round(d * 10) / 10.0).toArray()));
    }
    double[] p = passes.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    System.out.printf(Locale.ROOT, "h2floor n=%d rounds=%d errors=%d passes=%d mean_ms=%.1f p50_ms=%.1f p99_ms=%.1f max_ms=%.1f within_50ms=%.1f%%%n",
        n, rounds, errors, p.length, Arrays.stream(p).average().orElse(Double.NaN), p[p.length / 2],
        p[(int) Math.ceil(p.length * 0.99) - 1], p[p.length - 1], 100.0 * Arrays.stream(p).filter(d -> d <= 50).count() / p.length);
    server.close().sync();
    boss.shutdownGracefully();
    workers.shutdownGracefully();
    System.exit(errors == 0 ? 0 : 1);
  }
}
