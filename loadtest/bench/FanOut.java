import java.io.IOException;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Blocking fan-out benchmark client: parks N blocking playlist requests (_HLS_msn/_HLS_part for a part that
 * does not exist yet) on a live Headwater stream over N keep-alive HTTP/1.1
 * connections, and checks that the one new part answers every one of them with 200. Repeats ROUNDS times.
 *
 * <p>It is deliberately one thread on plain NIO with the least possible parsing: the server and this
 * client share the machine's cores, and a heavy client (a pooled HTTP client with futures per request)
 * would measure itself. Connections are opened in batches before the first round so that the rounds
 * measure waking, not a SYN storm (the accept and SYN backlogs here are 4,096 / 2,048).
 *
 * <p>Per round it prints the server's own figure — part publication → last response of a wake pass
 * written, one pass per HTTP verticle instance: their mean and the histogram bucket of the slowest,
 * from the {@code headwater_waiter_wake_delay_seconds} histogram in /metrics read before and after the
 * round; the summary pools the counted rounds' buckets into p50/p99 upper bounds — and the spread between the
 * first and the last complete answer as this client read them. The first WARMUP rounds (default 3:
 * JIT) are printed but not counted. Requests wait for the part AHEAD parts after the newest (default
 * 4, 0.8 s at 0.2 s parts), so that the server has read and parked all N before it appears and the
 * round measures the wake, not the intake. Exit status 1 when a counted request failed or was not
 * answered within the round's time limit.
 *
 * <p>With {@code --h2} the requests go over HTTP/2 cleartext instead, sent by h2load (Debian's
 * nghttp2-client) on ceil(N / 1,000) connections of up to 1,000 streams each — how a CDN edge brings
 * many viewers to an origin; the client-side spread is then not measured.
 *
 * <p>Usage: java FanOut.java [--h2] BASE STREAM RENDITION N ROUNDS [WARMUP [AHEAD]]
 */
public class FanOut {
  static final int BATCH = 500;
  static final long ROUND_LIMIT_NANOS = 30_000_000_000L;

  /** One connection and the response being read on it. */
  static final class Conn {
    final SocketChannel ch;
    final ByteBuffer in = ByteBuffer.allocate(64 * 1024);
    long bodyLeft = -1; // -1 until the head is complete
    int status;
    long doneNanos;

    Conn(SocketChannel ch) {
      this.ch = ch;
    }
  }

  public static void main(String[] argv) throws Exception {
    List<String> list = new ArrayList<>(Arrays.asList(argv));
    boolean h2 = list.remove("--h2");
    String[] args = list.toArray(new String[0]);
    String base = args[0];
    String stream = args[1];
    String rendition = args[2];
    int n = Integer.parseInt(args[3]);
    int rounds = Integer.parseInt(args[4]);
    int warmup = args.length > 5 ? Integer.parseInt(args[5]) : 3;
    int ahead = args.length > 6 ? Integer.parseInt(args[6]) : 4;
    URI uri = URI.create(base);
    // /metrics is on the operator listener (metrics.host:port), not on the public port.
    String metricsBase = System.getenv().getOrDefault("METRICS_BASE", "http://" + uri.getHost() + ":9180");
    HttpClient plain = HttpClient.newHttpClient();
    String streams = plain.send(HttpRequest.newBuilder(URI.create(base + "/api/streams")).build(), HttpResponse.BodyHandlers.ofString()).body();
    Matcher sm = Pattern.compile("\"name\":\"" + Pattern.quote(stream) + "\",\"session\":\"([a-z0-9]+)\"").matcher(streams);
    if (!sm.find()) {
      throw new IllegalStateException("stream " + stream + " not live: " + streams);
    }
    String path = "/live/" + stream + "/" + sm.group(1) + "/" + rendition + "/index.m3u8";

    Selector selector = Selector.open();
    List<Conn> conns = h2 ? List.of() : connect(selector, new InetSocketAddress(uri.getHost(), uri.getPort()), n);
    double[] spreads = new double[rounds];
    double[] pooled = null;
    int errors = 0;
    rounds += warmup;
    for (int round = 0; round < rounds; round++) {
      String text = plain.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString()).body();
      long[] next = partsAhead(text, ahead);
      double[] before = wakeMetric(plain, metricsBase);
      if (h2) {
        int failed = h2load(base + path + "?_HLS_msn=" + next[0] + "&_HLS_part=" + next[1], n);
        double[] d = delta(wakeMetric(plain, metricsBase), before);
        boolean counted = round >= warmup;
        if (counted) {
          errors += failed;
          pooled = pooled == null ? d : sum(pooled, d);
          spreads[round - warmup] = Double.NaN;
        }
        report(round, counted, n - failed, n, d, Double.NaN);
        continue;
      }
      byte[] request = ("GET " + path + "?_HLS_msn=" + next[0] + "&_HLS_part=" + next[1] + " HTTP/1.1\r\n"
          + "Host: " + uri.getHost() + ":" + uri.getPort() + "\r\nAccept-Encoding: gzip\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
      for (Conn c : conns) {
        c.bodyLeft = -1;
        c.status = 0;
        c.doneNanos = 0;
        c.in.clear();
        ByteBuffer out = ByteBuffer.wrap(request);
        while (out.hasRemaining()) {
          c.ch.write(out); // a few hundred bytes into an empty socket buffer: never short in practice
        }
      }
      int answered = readAnswers(selector, n);
      long first = Long.MAX_VALUE;
      long last = 0;
      for (Conn c : conns) {
        if ((c.doneNanos == 0 || c.status != 200) && round >= warmup) {
          errors++;
        } else {
          first = Math.min(first, c.doneNanos);
          last = Math.max(last, c.doneNanos);
        }
      }
      double[] d = delta(wakeMetric(plain, metricsBase), before);
      double spread = last == 0 ? Double.NaN : (last - first) / 1e6;
      boolean counted = round >= warmup;
      if (counted) {
        spreads[round - warmup] = spread;
        pooled = pooled == null ? d : sum(pooled, d);
      }
      report(round, counted, answered, n, d, spread);
    }
    Arrays.sort(spreads);
    int m = rounds - warmup;
    double passes = pooled[BOUNDS.length - 1];
    System.out.printf(Locale.ROOT, "fanout n=%d " + (h2 ? "h2c" : "http/1.1") + " rounds=%d errors=%d server_passes=%.0f mean_ms=%.1f p50_ms<=%.0f p99_ms<=%.0f within_50ms=%.1f%% client_spread_ms p50=%.1f max=%.1f%n",
        n, m, errors, passes, pooled[BOUNDS.length] / passes * 1000, quantileBound(pooled, 0.5), quantileBound(pooled, 0.99),
        100 * shareWithin(pooled, 0.050), spreads[m / 2], spreads[m - 1]);
    System.exit(errors == 0 ? 0 : 1);
  }

  /** One round's line: the server's passes (mean and the bucket bound of the slowest) and the client's spread. */
  static void report(int round, boolean counted, int answered, int n, double[] d, double spread) {
    double passes = d[BOUNDS.length - 1];
    System.out.printf(Locale.ROOT, "round %d%s: %d/%d answered 200; server publication -> last response of a pass: %.0f passes, mean %.1f ms, slowest <= %.0f ms; client first -> last answer %.1f ms%n",
        round + 1, counted ? "" : " (warm-up)", answered, n, passes, d[BOUNDS.length] / passes * 1000, quantileBound(d, 1.0), spread);
  }

  static double[] sum(double[] a, double[] b) {
    double[] s = new double[a.length];
    for (int i = 0; i < s.length; i++) {
      s[i] = a[i] + b[i];
    }
    return s;
  }

  static final Pattern H2LOAD_OK = Pattern.compile("status codes: (\\d+) 2xx");

  /**
   * One HTTP/2 round with h2load (nghttp2): n requests on ceil(n / 1,000) connections with up to 1,000
   * streams each, as CDN edges multiplex viewers. Returns how many did not get a 2xx.
   */
  static int h2load(String url, int n) throws Exception {
    int streams = Math.min(n, 1000);
    int connections = (n + streams - 1) / streams;
    Process p = new ProcessBuilder("h2load", "-n", "" + n, "-c", "" + connections, "-m", "" + streams,
        "-H", "accept-encoding: gzip", url).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    Matcher m = H2LOAD_OK.matcher(out);
    if (!m.find()) {
      System.out.println(out);
      return n;
    }
    return n - Integer.parseInt(m.group(1));
  }

  static final Pattern WAKE_BUCKET = Pattern.compile("(?m)^headwater_waiter_wake_delay_seconds_bucket\\{le=\"([^\"]+)\"\\} (\\S+)$");
  static final Pattern WAKE_SUM = Pattern.compile("(?m)^headwater_waiter_wake_delay_seconds_sum (\\S+)$");

  /**
   * The server's wake-pass histogram from /metrics: cumulative pass counts per bucket bound (seconds,
   * the last is +Inf, i.e. all passes) and, at index [bounds], the sum of pass seconds.
   */
  static double[] wakeMetric(HttpClient http, String base) throws Exception {
    String text = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
    List<Double> values = new ArrayList<>();
    List<Double> bounds = new ArrayList<>();
    for (Matcher m = WAKE_BUCKET.matcher(text); m.find(); ) {
      bounds.add(m.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(1)));
      values.add(Double.parseDouble(m.group(2)));
    }
    Matcher sum = WAKE_SUM.matcher(text);
    if (bounds.isEmpty() || !sum.find()) {
      throw new IllegalStateException("no headwater_waiter_wake_delay_seconds histogram in /metrics");
    }
    if (BOUNDS == null) {
      BOUNDS = bounds.stream().mapToDouble(Double::doubleValue).toArray();
    }
    values.add(Double.parseDouble(sum.group(1)));
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }

  static double[] BOUNDS;

  /** after - before, element-wise. */
  static double[] delta(double[] after, double[] before) {
    double[] d = new double[after.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = after[i] - before[i];
    }
    return d;
  }

  /** Upper bound (ms) of the q-quantile of the passes in a cumulative bucket delta. */
  static double quantileBound(double[] cumulative, double q) {
    double total = cumulative[BOUNDS.length - 1];
    for (int i = 0; i < BOUNDS.length; i++) {
      if (cumulative[i] >= q * total) {
        return BOUNDS[i] * 1000;
      }
    }
    return Double.POSITIVE_INFINITY;
  }

  /** The share of passes at most {@code seconds} long (a bucket bound): the target p99 < 50 ms is 99 %. */
  static double shareWithin(double[] cumulative, double seconds) {
    for (int i = 0; i < BOUNDS.length; i++) {
      if (Math.abs(BOUNDS[i] - seconds) < 1e-9) {
        return cumulative[i] / cumulative[BOUNDS.length - 1];
      }
    }
    return Double.NaN;
  }

  /** Opens n connections, BATCH at a time, each registered for reading with its Conn attached. */
  static List<Conn> connect(Selector selector, InetSocketAddress address, int n) throws IOException {
    List<Conn> conns = new ArrayList<>(n);
    while (conns.size() < n) {
      int batch = Math.min(BATCH, n - conns.size());
      int pending = 0;
      for (int i = 0; i < batch; i++) {
        SocketChannel ch = SocketChannel.open();
        ch.configureBlocking(false);
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        Conn c = new Conn(ch);
        if (ch.connect(address)) {
          ch.register(selector, SelectionKey.OP_READ, c);
        } else {
          ch.register(selector, SelectionKey.OP_CONNECT, c);
          pending++;
        }
        conns.add(c);
      }
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (pending > 0) {
        if (System.nanoTime() > deadline) {
          throw new IOException(pending + " connections of a batch did not complete within 20 s");
        }
        selector.select(1000);
        for (SelectionKey k : selector.selectedKeys()) {
          if (k.isConnectable() && ((SocketChannel) k.channel()).finishConnect()) {
            k.interestOps(SelectionKey.OP_READ);
            pending--;
          }
        }
        selector.selectedKeys().clear();
      }
    }
    return conns;
  }

  /** Reads until n responses are complete or the round's limit passes; returns how many completed. */
  static int readAnswers(Selector selector, int n) throws IOException {
    int done = 0;
    long deadline = System.nanoTime() + ROUND_LIMIT_NANOS;
    while (done < n && System.nanoTime() < deadline) {
      selector.select(1000);
      long now = System.nanoTime();
      for (SelectionKey k : selector.selectedKeys()) {
        Conn c = (Conn) k.attachment();
        if (c.doneNanos != 0) {
          continue;
        }
        int r = c.ch.read(c.in);
        if (r < 0) {
          c.doneNanos = now;
          c.status = -1; // closed by the server
          done++;
          k.cancel();
          continue;
        }
        if (progress(c)) {
          c.doneNanos = now;
          done++;
        }
      }
      selector.selectedKeys().clear();
    }
    return done;
  }

  /** True once the head and Content-Length bytes of body are in; keeps the body out of the buffer. */
  static boolean progress(Conn c) {
    ByteBuffer b = c.in;
    if (c.bodyLeft < 0) {
      int end = headEnd(b);
      if (end < 0) {
        return false;
      }
      String head = new String(b.array(), 0, end, StandardCharsets.ISO_8859_1);
      c.status = Integer.parseInt(head.substring(9, 12));
      Matcher m = CONTENT_LENGTH.matcher(head);
      c.bodyLeft = m.find() ? Long.parseLong(m.group(1)) : 0;
      c.bodyLeft -= b.position() - (end + 4);
    } else {
      c.bodyLeft -= b.position();
    }
    b.clear();
    return c.bodyLeft <= 0;
  }

  static final Pattern CONTENT_LENGTH = Pattern.compile("(?i)\r\ncontent-length:\\s*(\\d+)");

  static int headEnd(ByteBuffer b) {
    byte[] a = b.array();
    for (int i = 3; i < b.position(); i++) {
      if (a[i] == '\n' && a[i - 1] == '\r' && a[i - 2] == '\n' && a[i - 3] == '\r') {
        return i - 3;
      }
    }
    return -1;
  }

  /**
   * MSN and part index of the part {@code ahead} parts after the last one listed (1 = the next part),
   * so that every request is parked before it exists. Segments are assumed to hold as many parts as the
   * last complete one listed (true on Headwater's fixed segment grid).
   */
  static long[] partsAhead(String playlist, int ahead) {
    Matcher seq = Pattern.compile("#EXT-X-MEDIA-SEQUENCE:(\\d+)").matcher(playlist);
    if (!seq.find()) {
      throw new IllegalStateException("not a media playlist: " + playlist);
    }
    long msn = Long.parseLong(seq.group(1));
    int part = 0;
    int perSegment = 0;
    boolean extinf = false;
    for (String line : playlist.split("\n")) {
      if (line.startsWith("#EXT-X-PART:")) {
        part++;
      } else if (line.startsWith("#EXTINF")) {
        extinf = true;
      } else if (extinf && !line.startsWith("#")) {
        msn++;
        perSegment = Math.max(perSegment, part);
        part = 0;
        extinf = false;
      }
    }
    // msn is the open segment and part the number of its parts listed: the next part is (msn, part)
    long index = part + ahead - 1;
    if (perSegment > 0) {
      msn += index / perSegment;
      index %= perSegment;
    }
    return new long[] {msn, index};
  }
}
