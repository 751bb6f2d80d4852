import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Streaming fan-out (issue 10): VIEWERS HTTP/1.1 clients, one connection each (from 127.7.x.y
 * addresses, 16 per address), all ask for the same segment before it starts and read it as the
 * origin streams it. For every CMAF chunk each viewer receives, the delay from FFmpeg writing the
 * chunk (its prft box: FFmpeg's wall clock) to the viewer's first byte of it. ROUNDS segments.
 *
 * <p>Chunks written before all VIEWERS requests had reached the origin (its streaming-responses
 * gauge, read at METRICS_BASE) are left out: they were waiting for a request, not fanned out.
 *
 * <p>Also prints the origin's own figure: appended → written to the last response of a pass
 * ({@code headwater_http_streaming_delay}). Args: BASE STREAM VIEWERS ROUNDS METRICS_BASE (a
 * single-file program: {@code java StreamFanOut.java ...}). Prints one line:
 * {@code streamfanout viewers=N chunks=... p50=.. p99=.. max=.. ms errors=..}.
 */
public class StreamFanOut {
  /** Seconds between 1900-01-01 (NTP) and 1970-01-01 (Unix). */
  private static final long NTP_OFFSET = 2_208_988_800L;

  private static final long WALL_BASE_MICROS = micros(Instant.now());
  private static final long NANO_BASE = System.nanoTime();

  private static long micros(Instant t) {
    return t.getEpochSecond() * 1_000_000 + t.getNano() / 1000;
  }

  /** Wall clock in µs, from the monotonic clock: cheap and steady within a run. */
  private static long nowMicros() {
    return WALL_BASE_MICROS + (System.nanoTime() - NANO_BASE) / 1000;
  }

  /**
   * Reads the ISO-BMFF boxes of a streamed segment as its bytes arrive; for each prft box, the
   * delay from its timestamp to the arrival of the read holding its first byte.
   */
  static final class BoxWatch {
    private final byte[] head = new byte[24];
    private int headFill;
    private long remaining; // bytes of the current box's body still to skip
    private long boxArrival;
    private final List<Long> delays;
    private final AtomicLong notBeforeMicros;

    BoxWatch(List<Long> delays, AtomicLong notBeforeMicros) {
      this.delays = delays;
      this.notBeforeMicros = notBeforeMicros;
    }

    void feed(byte[] b, int off, int len, long arrivalMicros) {
      int i = off;
      int n = off + len;
      while (i < n) {
        if (remaining > 0) {
          int skip = (int) Math.min(remaining, n - i);
          i += skip;
          remaining -= skip;
          continue;
        }
        if (headFill == 0) {
          boxArrival = arrivalMicros;
        }
        // A box header (8 bytes) and, for prft, the 16 bytes that hold its timestamp.
        head[headFill++] = b[i++];
        if (headFill == 8 && !isPrft()) {
          remaining = size() - 8;
          headFill = 0;
        } else if (headFill == 24) {
          long ntp = ((long) readInt(16) << 32) | (readInt(20) & 0xffffffffL);
          long secs = (ntp >>> 32) - NTP_OFFSET;
          long frac = ntp & 0xffffffffL;
          long written = secs * 1_000_000 + (frac * 1_000_000 >>> 32);
          if (written >= notBeforeMicros.get()) {
            synchronized (delays) {
              delays.add(boxArrival - written);
            }
          }
          remaining = size() - 24;
          headFill = 0;
        }
      }
    }

    private boolean isPrft() {
      return head[4] == 'p' && head[5] == 'r' && head[6] == 'f' && head[7] == 't';
    }

    private long size() {
      return readInt(0) & 0xffffffffL;
    }

    private int readInt(int at) {
      return ((head[at] & 0xff) << 24)
          | ((head[at + 1] & 0xff) << 16)
          | ((head[at + 2] & 0xff) << 8)
          | (head[at + 3] & 0xff);
    }
  }

  /** One keep-alive HTTP/1.1 connection and the streamed response being read on it. */
  static final class Conn {
    enum State {
      HEAD,
      SIZE,
      DATA,
      CRLF,
      TRAILER,
      DONE
    }

    final SocketChannel ch;
    State state = State.DONE;
    final StringBuilder line = new StringBuilder();
    int status;
    long left;
    BoxWatch watch;

    Conn(SocketChannel ch) {
      this.ch = ch;
    }

    /** Consumes what was read; HTTP/1.1 chunked transfer coding (RFC 9112 7.1), nothing more. */
    void consume(byte[] b, int n, long arrival) {
      int i = 0;
      while (i < n && state != State.DONE) {
        switch (state) {
          case HEAD -> {
            char c = (char) b[i++];
            line.append(c);
            int l = line.length();
            if (l >= 4 && line.charAt(l - 1) == '\n' && line.charAt(l - 3) == '\n') {
              status = Integer.parseInt(line.substring(9, 12));
              line.setLength(0);
              state = State.SIZE;
            }
          }
          case SIZE -> {
            char c = (char) b[i++];
            if (c == '\n') {
              String hex = line.toString().trim();
              int semi = hex.indexOf(';');
              left = Long.parseLong(semi < 0 ? hex : hex.substring(0, semi), 16);
              line.setLength(0);
              state = left == 0 ? State.TRAILER : State.DATA;
            } else {
              line.append(c);
            }
          }
          case DATA -> {
            int take = (int) Math.min(left, n - i);
            watch.feed(b, i, take, arrival);
            i += take;
            left -= take;
            if (left == 0) {
              state = State.CRLF;
              left = 2;
            }
          }
          case CRLF -> {
            i++;
            if (--left == 0) {
              state = State.SIZE;
            }
          }
          case TRAILER -> {
            char c = (char) b[i++];
            line.append(c);
            if (c == '\n') {
              boolean empty = line.length() <= 2;
              line.setLength(0);
              if (empty) {
                state = State.DONE;
              }
            }
          }
          case DONE -> {}
        }
      }
    }
  }

  public static void main(String[] args) throws Exception {
    String base = args[0];
    String stream = args[1];
    int viewers = Integer.parseInt(args[2]);
    int rounds = Integer.parseInt(args[3]);
    String metrics = args[4];
    HttpClient jdk = HttpClient.newHttpClient();
    String master = get(jdk, base + "/live/" + stream + "/master.m3u8");
    // The last variant: the lowest rung when transcoding, the source when passing through.
    String variant =
        master.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).reduce((a, b) -> b).get();
    URI playlist = URI.create(base + "/live/" + stream + "/").resolve(variant);

    // One thread, plain NIO, the least parsing (as FanOut.java): the client shares the 2 cores with
    // the server and must not measure itself. Connections from 127.7.x.y, 16 per address, opened
    // before the first round.
    Selector selector = Selector.open();
    List<Conn> conns = new ArrayList<>();
    for (int v = 0; v < viewers; v++) {
      int a = v / 16;
      SocketChannel ch = SocketChannel.open();
      ch.bind(new InetSocketAddress("127.7." + (a / 250) + "." + (a % 250 + 1), 0));
      ch.connect(new InetSocketAddress(playlist.getHost(), playlist.getPort()));
      ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
      ch.configureBlocking(false);
      Conn c = new Conn(ch);
      ch.register(selector, SelectionKey.OP_READ, c);
      conns.add(c);
    }
    List<Long> delays = new ArrayList<>();
    int errors = 0;
    byte[] buf = new byte[256 * 1024];
    ByteBuffer bb = ByteBuffer.wrap(buf);
    for (int round = 0; round < rounds; round++) {
      long msn = nextMsn(get(jdk, playlist.toString()));
      String path = playlist.resolve("s" + msn + ".m4s").getPath();
      byte[] request =
          ("GET " + path + " HTTP/1.1\r\nHost: bench\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
      AtomicLong notBefore = new AtomicLong(Long.MAX_VALUE);
      for (Conn c : conns) {
        c.state = Conn.State.HEAD;
        c.watch = new BoxWatch(delays, notBefore);
        c.ch.write(ByteBuffer.wrap(request));
      }
      // Chunks written before every request had reached the origin do not count (see the class
      // comment): the origin's gauge of streaming responses says when they have.
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (streaming(jdk, metrics) < viewers && System.nanoTime() < deadline) {
        selectOnce(selector, bb, 20);
      }
      notBefore.set(nowMicros());
      long limit = System.nanoTime() + 30_000_000_000L;
      int open = viewers;
      while (open > 0 && System.nanoTime() < limit) {
        selectOnce(selector, bb, 100);
        open = 0;
        for (Conn c : conns) {
          open += c.state == Conn.State.DONE ? 0 : 1;
        }
      }
      for (Conn c : conns) {
        if (c.state != Conn.State.DONE || c.status != 200) {
          errors++;
          c.state = Conn.State.DONE;
        }
      }
    }
    Collections.sort(delays);
    int n = delays.size();
    System.out.printf(
        "streamfanout viewers=%d rounds=%d chunks=%d p50=%.1f p99=%.1f max=%.1f ms errors=%d%n",
        viewers,
        rounds,
        n,
        n == 0 ? 0 : delays.get(n / 2) / 1000.0,
        n == 0 ? 0 : delays.get(Math.min(n - 1, (int) Math.ceil(n * 0.99) - 1)) / 1000.0,
        n == 0 ? 0 : delays.get(n - 1) / 1000.0,
        errors);
    System.out.println("server " + serverDelay(jdk, metrics));
  }

  static void selectOnce(Selector selector, ByteBuffer bb, long millis) throws Exception {
    selector.select(millis);
    for (SelectionKey k : selector.selectedKeys()) {
      Conn c = (Conn) k.attachment();
      for (int r; ; ) {
        bb.clear();
        r = c.ch.read(bb);
        if (r <= 0) {
          break;
        }
        c.consume(bb.array(), r, nowMicros());
      }
    }
    selector.selectedKeys().clear();
  }

  /**
   * The origin's own p50/p99 of appended → written to the last response of a pass, as the upper
   * bounds of the histogram buckets they fall in (its buckets run 5, 10, 20, 30 … ms).
   */
  static String serverDelay(HttpClient c, String metricsBase) throws Exception {
    List<double[]> buckets = new ArrayList<>();
    double count = 0;
    for (String l : get(c, metricsBase + "/metrics").split("\n")) {
      if (l.startsWith("headwater_http_streaming_delay_seconds_bucket{le=\"")) {
        String le = l.substring(l.indexOf('"') + 1, l.lastIndexOf('"'));
        double n = Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1));
        buckets.add(new double[] {le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le), n});
      } else if (l.startsWith("headwater_http_streaming_delay_seconds_count ")) {
        count = Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1));
      }
    }
    return String.format(
        "appended->written (last response of a pass, %d passes): p50 <= %s ms, p99 <= %s ms",
        (long) count, bound(buckets, count, 0.5), bound(buckets, count, 0.99));
  }

  static String bound(List<double[]> buckets, double count, double q) {
    for (double[] b : buckets) {
      if (count > 0 && b[1] >= q * count) {
        return Double.isInfinite(b[0]) ? "inf" : String.format("%.0f", b[0] * 1000);
      }
    }
    return "?";
  }

  /** The segment after the one in production: every request is parked before it starts. */
  static long nextMsn(String playlist) {
    long seq = 0;
    long complete = 0;
    for (String l : playlist.split("\n")) {
      if (l.startsWith("#EXT-X-MEDIA-SEQUENCE:")) {
        seq = Long.parseLong(l.substring(22).trim());
      } else if (!l.startsWith("#") && !l.isBlank()) {
        complete++;
      }
    }
    return seq + complete + 1;
  }

  /** The origin's headwater_http_streaming_responses gauge (its operator listener). */
  static double streaming(HttpClient c, String metricsBase) throws Exception {
    for (String l : get(c, metricsBase + "/metrics").split("\n")) {
      if (l.startsWith("headwater_http_streaming_responses ")) {
        return Double.parseDouble(l.substring(l.indexOf(' ') + 1).trim());
      }
    }
    return 0;
  }

  static String get(HttpClient c, String url) throws Exception {
    return c.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
