import java.io.BufferedWriter;
import java.io.ByteArrayInputStream;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * LL-HLS viewer load for serving-llhls.sh: the same request mix driven against Headwater (live,
 * blocking) and then replayed against a static server (nginx) holding the bytes Headwater sent.
 *
 * <p>{@code record}: VIEWERS keep-alive HTTP/1.1 connections, one per viewer, each doing what hls.js
 * does in low-latency mode with one rendition: the multivariant playlist, the media playlist, then in
 * a loop a blocking reload for the next part ({@code _HLS_msn}/{@code _HLS_part}, RFC 8216bis
 * 6.2.5.2) and the newest part it lists; when a segment completes, one viewer in eight also fetches
 * it (a join, a seek or a rendition switch), and every 100th reload is preceded by the multivariant
 * playlist. It stores the first body of every URL under OUTDIR/www (playlists as {@code
 * path.MSN.PART}, which nginx finds with {@code try_files $uri.$arg__HLS_msn.$arg__HLS_part}) and
 * the request log (viewer, sent, answered, URL) as OUTDIR/log.txt.
 *
 * <p>{@code replay}: the same viewers, connections and URLs in the same order; each request is
 * sent no earlier than it was sent to Headwater, a blocking reload no earlier than Headwater
 * answered it (a static server cannot block), so the request rate over time is the same.
 *
 * <p>Both modes count responses and read the servers' CPU time (utime + stime of /proc/PID/stat,
 * summed over PIDS) over the same window: from WARMUP seconds to the end. Output, one line: {@code
 * responses N seconds S rps R cpu_ms C us_per_response U errors E client_cpu_ms K}. With {@code
 * -Dorigin.metrics=URL} (an origin's Prometheus endpoint, when HOST:PORT is an edge in front of it)
 * it also reads the origin's {@code headwater_http_responses_total} at both ends of that window and
 * appends {@code origin_responses N origin_rps R}: the requests that reached the origin while the
 * viewers made theirs to the edge (edge.sh). With {@code -Daccept.gzip=true} requests carry {@code
 * Accept-Encoding: gzip}, as a browser's do, and gzipped bodies are inflated before they are read:
 * an edge asks the origin for gzip and stores that variant, and would otherwise inflate it for each
 * viewer, chunked, without the Content-Length this client relies on. With {@code -Dstop.file=PATH}
 * the run ends (and reports) within a second of PATH appearing, before SECONDS: load kept on while
 * another measurement of unknown length runs.
 *
 * <p>One thread on plain NIO, the least parsing that works: it shares the two cores with the server.
 *
 * <p>Usage: java LlHlsViewers.java record HOST:PORT MASTER_PATH VIEWERS SECONDS WARMUP OUTDIR PIDS
 * <br>
 * java LlHlsViewers.java replay HOST:PORT OUTDIR WARMUP PIDS
 */
public class LlHlsViewers {
  static final long START_SPREAD_NANOS = 2_000_000_000L;

  /** One logged request. */
  record Req(int viewer, long sentNanos, long doneNanos, boolean blocking, String url) {}

  static final class Viewer {
    final int id;
    SocketChannel ch;
    SelectionKey key;
    final ByteBuffer in = ByteBuffer.allocate(256 * 1024);
    byte[] body = new byte[0];
    int bodyLen;
    long bodyLeft = -1;
    int status;
    boolean keepBody;
    boolean gzipped;
    /** A chunked response (an edge passing on a part still being produced). */
    boolean chunked;
    /** Bytes left in the current chunk; -1: a size line is next; -2: the last chunk was read. */
    long chunkLeft;
    // Current request.
    String url;
    boolean blocking;
    long sentNanos;
    long notBefore;
    // record: the viewer's plan; replay: its log.
    final ArrayDeque<Req> todo = new ArrayDeque<>();
    String mediaPath;
    long lastMsn = -1;
    int reloads;
    ByteBuffer out;

    Viewer(int id) {
      this.id = id;
    }
  }

  static String mode;
  static InetSocketAddress addr;
  static String host;
  static Path outDir;
  static final List<Req> log = new ArrayList<>();
  static final Set<String> stored = new HashSet<>();
  static long t0;
  static long measureFrom;
  static long responses;
  /** With {@code -Dstop.file=PATH}: the run ends early, within a second, once PATH exists (edge.sh). */
  static final Path STOP_FILE =
      System.getProperty("stop.file") == null ? null : Path.of(System.getProperty("stop.file"));

  static long errors;
  static final String ORIGIN_METRICS = System.getProperty("origin.metrics");
  static final boolean ACCEPT_GZIP = Boolean.getBoolean("accept.gzip");
  static HttpClient metricsClient;

  public static void main(String[] a) throws Exception {
    mode = a[0];
    String[] hp = a[1].split(":");
    host = a[1];
    addr = new InetSocketAddress(hp[0], Integer.parseInt(hp[1]));
    List<Viewer> viewers = new ArrayList<>();
    long seconds;
    long warmup;
    int[] pids;
    if (mode.equals("record")) {
      String master = a[2];
      int n = Integer.parseInt(a[3]);
      seconds = Long.parseLong(a[4]);
      warmup = Long.parseLong(a[5]);
      outDir = Path.of(a[6]);
      pids = pids(a[7]);
      for (int i = 0; i < n; i++) {
        Viewer v = new Viewer(i);
        v.todo.add(new Req(i, START_SPREAD_NANOS * i / n, 0, false, master));
        viewers.add(v);
      }
    } else {
      outDir = Path.of(a[2]);
      warmup = Long.parseLong(a[3]);
      pids = pids(a[4]);
      List<String> lines = Files.readAllLines(outDir.resolve("log.txt"));
      seconds = Long.parseLong(lines.get(0));
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.split(" ");
        int id = Integer.parseInt(f[0]);
        while (viewers.size() <= id) {
          viewers.add(new Viewer(viewers.size()));
        }
        boolean blocking = f[3].equals("1");
        long sent = Long.parseLong(f[1]);
        long done = Long.parseLong(f[2]);
        viewers.get(id).todo.add(new Req(id, blocking ? done : sent, done, blocking, f[4]));
      }
    }
    Selector sel = Selector.open();
    for (Viewer v : viewers) {
      v.ch = SocketChannel.open();
      v.ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
      v.ch.connect(addr);
      v.ch.configureBlocking(false);
      v.key = v.ch.register(sel, 0, v);
    }
    long origin0 = -1;
    // A first scrape before the clock starts: the HTTP client's start-up is not in the window.
    originResponses();
    t0 = System.nanoTime();
    measureFrom = t0 + warmup * 1_000_000_000L;
    long end = t0 + seconds * 1_000_000_000L;
    long cpu0 = -1;
    long client0 = -1;
    long responses0 = 0;
    // Viewers waiting for their next request's time, checked every millisecond.
    ArrayDeque<Viewer> idle = new ArrayDeque<>(viewers);
    long stopCheck = t0;
    while (System.nanoTime() < end) {
      long now = System.nanoTime();
      if (STOP_FILE != null && now >= stopCheck) {
        if (Files.exists(STOP_FILE)) {
          break;
        }
        stopCheck = now + 1_000_000_000L;
      }
      if (cpu0 < 0 && now >= measureFrom) {
        cpu0 = cpuTicks(pids);
        client0 = cpuTicks(new int[] {(int) ProcessHandle.current().pid()});
        responses0 = responses;
        origin0 = originResponses();
      }
      for (int i = idle.size(); i > 0; i--) {
        Viewer v = idle.poll();
        if (!send(v, now)) {
          idle.add(v);
        }
      }
      sel.select(1);
      for (SelectionKey k : sel.selectedKeys()) {
        Viewer v = (Viewer) k.attachment();
        if (k.isValid() && k.isWritable()) {
          flush(v);
        }
        if (k.isValid() && k.isReadable() && read(v)) {
          idle.add(v);
        }
      }
      sel.selectedKeys().clear();
    }
    long cpu1 = cpuTicks(pids);
    long client1 = cpuTicks(new int[] {(int) ProcessHandle.current().pid()});
    long origin1 = originResponses();
    double window = (System.nanoTime() - measureFrom) / 1e9;
    long counted = responses - responses0;
    double cpuMs = (cpu1 - cpu0) * 10.0;
    System.out.printf(
        Locale.ROOT,
        "responses %d seconds %.1f rps %.0f cpu_ms %.0f us_per_response %.1f errors %d client_cpu_ms %.0f",
        counted,
        window,
        counted / window,
        cpuMs,
        counted == 0 ? 0 : cpuMs * 1000 / counted,
        errors,
        (client1 - client0) * 10.0);
    if (ORIGIN_METRICS != null) {
      System.out.printf(
          Locale.ROOT,
          " origin_responses %d origin_rps %.1f",
          origin1 - origin0,
          (origin1 - origin0) / window);
    }
    System.out.println();
    for (Viewer v : viewers) {
      v.ch.close();
    }
    if (mode.equals("record")) {
      try (BufferedWriter w = Files.newBufferedWriter(outDir.resolve("log.txt"))) {
        w.write(Long.toString(seconds));
        w.newLine();
        for (Req r : log) {
          w.write(
              r.viewer()
                  + " "
                  + r.sentNanos()
                  + " "
                  + r.doneNanos()
                  + " "
                  + (r.blocking() ? 1 : 0)
                  + " "
                  + r.url());
          w.newLine();
        }
      }
    }
  }

  static int[] pids(String s) {
    return Arrays.stream(s.split(",")).mapToInt(Integer::parseInt).toArray();
  }

  /**
   * The origin's HTTP responses so far (headwater_http_responses_total, all status classes), or 0
   * without -Dorigin.metrics. Blocking, a few milliseconds on loopback, twice per run.
   */
  static long originResponses() throws IOException, InterruptedException {
    if (ORIGIN_METRICS == null) {
      return 0;
    }
    if (metricsClient == null) {
      metricsClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }
    String text =
        metricsClient
            .send(
                HttpRequest.newBuilder(URI.create(ORIGIN_METRICS)).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    long sum = 0;
    for (String line : text.split("\n")) {
      if (line.startsWith("headwater_http_responses_total")) {
        sum += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  /** utime + stime in clock ticks (USER_HZ, 100 on Linux), summed. */
  static long cpuTicks(int[] pids) throws IOException {
    long sum = 0;
    for (int pid : pids) {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      sum += Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
    return sum;
  }

  /** Sends the viewer's next request if it is due; false if it must wait. */
  static boolean send(Viewer v, long now) throws IOException {
    Req next = v.todo.peek();
    if (next == null || now - t0 < next.sentNanos()) {
      return false;
    }
    v.todo.poll();
    v.url = next.url();
    v.blocking = next.blocking();
    v.sentNanos = now - t0;
    v.keepBody = mode.equals("record");
    v.bodyLeft = -1;
    v.bodyLen = 0;
    v.in.clear();
    String head =
        "GET "
            + v.url
            + " HTTP/1.1\r\nHost: "
            + host
            + "\r\nUser-Agent: hls-viewer\r\n"
            + (ACCEPT_GZIP ? "Accept-Encoding: gzip\r\n" : "")
            + "\r\n";
    v.out = ByteBuffer.wrap(head.getBytes(StandardCharsets.ISO_8859_1));
    flush(v);
    return true;
  }

  static void flush(Viewer v) throws IOException {
    v.ch.write(v.out);
    v.key.interestOps(v.out.hasRemaining() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
  }

  /** Reads what arrived; true when the response is complete (the viewer is then idle). */
  static boolean read(Viewer v) throws IOException {
    int n = v.ch.read(v.in);
    if (n < 0) {
      throw new IOException("viewer " + v.id + ": connection closed by the server");
    }
    v.in.flip();
    if (v.bodyLeft < 0) {
      int headEnd = headEnd(v.in);
      if (headEnd < 0) {
        v.in.compact();
        return false;
      }
      String head = new String(v.in.array(), 0, headEnd, StandardCharsets.ISO_8859_1);
      v.status = Integer.parseInt(head.substring(9, 12));
      String lower = head.toLowerCase(Locale.ROOT);
      v.gzipped = lower.contains("\ncontent-encoding: gzip");
      int cl = lower.indexOf("\ncontent-length:");
      v.in.position(headEnd + 4);
      v.chunked = cl < 0 && lower.contains("\ntransfer-encoding: chunked");
      if (v.chunked) {
        // An edge streams a part that another client asked for before it existed.
        v.chunkLeft = -1;
        v.bodyLeft = Long.MAX_VALUE;
      } else {
        if (cl < 0) {
          throw new IOException("viewer " + v.id + ": no Content-Length for " + v.url);
        }
        int eol = head.indexOf('\r', cl + 1);
        eol = eol < 0 ? head.length() : eol;
        v.bodyLeft = Long.parseLong(head.substring(cl + 16, eol).trim());
        if (v.body.length < v.bodyLeft) {
          v.body = new byte[(int) v.bodyLeft];
        }
      }
    }
    if (v.chunked) {
      boolean done = readChunks(v);
      v.in.compact();
      if (!done) {
        return false;
      }
      v.bodyLeft = 0;
    } else {
      int take = (int) Math.min(v.in.remaining(), v.bodyLeft);
      if (v.keepBody) {
        v.in.get(v.body, v.bodyLen, take);
      } else {
        v.in.position(v.in.position() + take);
      }
      v.bodyLen += take;
      v.bodyLeft -= take;
      v.in.compact();
      if (v.bodyLeft > 0) {
        return false;
      }
    }
    long done = System.nanoTime();
    if (v.gzipped && v.keepBody) {
      try (GZIPInputStream z =
          new GZIPInputStream(new ByteArrayInputStream(v.body, 0, v.bodyLen))) {
        byte[] plain = z.readAllBytes();
        v.body = plain;
        v.bodyLen = plain.length;
      }
    }
    if (done >= measureFrom) {
      responses++;
    }
    if (v.status != 200) {
      errors++;
      if (errors <= 5) {
        System.err.println("viewer " + v.id + ": " + v.status + " for " + v.url);
      }
    }
    if (mode.equals("record")) {
      log.add(new Req(v.id, v.sentNanos, done - t0, v.blocking, v.url));
      if (v.status == 200) {
        store(v);
        plan(v, done - t0);
      } else {
        // Start over as a player would after an error.
        v.lastMsn = -1;
        v.todo.add(new Req(v.id, done - t0 + 500_000_000L, 0, false, v.mediaPath));
      }
    }
    return true;
  }

  /** Consumes chunked body bytes (RFC 9112 7.1, no trailers); true once the last chunk is read. */
  static boolean readChunks(Viewer v) throws IOException {
    ByteBuffer b = v.in;
    while (true) {
      if (v.chunkLeft == -1) {
        int eol = -1;
        for (int i = b.position(); i + 1 < b.limit(); i++) {
          if (b.get(i) == '\r' && b.get(i + 1) == '\n') {
            eol = i;
            break;
          }
        }
        if (eol < 0) {
          return false;
        }
        String line = new String(b.array(), b.position(), eol - b.position(), StandardCharsets.ISO_8859_1);
        int semi = line.indexOf(';');
        long size = Long.parseLong((semi < 0 ? line : line.substring(0, semi)).trim(), 16);
        b.position(eol + 2);
        v.chunkLeft = size == 0 ? -2 : size;
      }
      if (v.chunkLeft == -2) {
        if (b.remaining() < 2) {
          return false;
        }
        b.position(b.position() + 2);
        return true;
      }
      if (v.chunkLeft > 0) {
        int take = (int) Math.min(b.remaining(), v.chunkLeft);
        if (v.keepBody) {
          if (v.body.length < v.bodyLen + take) {
            v.body = Arrays.copyOf(v.body, Math.max(v.bodyLen + take, 2 * v.body.length));
          }
          b.get(v.body, v.bodyLen, take);
        } else {
          b.position(b.position() + take);
        }
        v.bodyLen += take;
        v.chunkLeft -= take;
        if (v.chunkLeft > 0) {
          return false;
        }
      }
      // The CRLF after a chunk's data.
      if (b.remaining() < 2) {
        return false;
      }
      b.position(b.position() + 2);
      v.chunkLeft = -1;
    }
  }

  static int headEnd(ByteBuffer b) {
    byte[] x = b.array();
    for (int i = b.position(); i + 3 < b.limit(); i++) {
      if (x[i] == '\r' && x[i + 1] == '\n' && x[i + 2] == '\r' && x[i + 3] == '\n') {
        return i;
      }
    }
    return -1;
  }

  static void store(Viewer v) throws IOException {
    String file = v.url;
    int q = file.indexOf('?');
    if (file.endsWith(".m3u8") || q >= 0) {
      String path = q < 0 ? file : file.substring(0, q);
      file = path + "." + param(v.url, "_HLS_msn") + "." + param(v.url, "_HLS_part");
    }
    if (stored.add(file)) {
      Path p = outDir.resolve("www" + file);
      Files.createDirectories(p.getParent());
      Files.write(p, Arrays.copyOf(v.body, v.bodyLen));
    }
  }

  static String param(String url, String name) {
    int i = url.indexOf(name + "=");
    if (i < 0) {
      return "";
    }
    int e = url.indexOf('&', i);
    return url.substring(i + name.length() + 1, e < 0 ? url.length() : e);
  }

  /** What hls.js does next after this response. */
  static void plan(Viewer v, long now) {
    String path = v.url.indexOf('?') < 0 ? v.url : v.url.substring(0, v.url.indexOf('?'));
    String dir = path.substring(0, path.lastIndexOf('/') + 1);
    String text = new String(v.body, 0, v.bodyLen, StandardCharsets.ISO_8859_1);
    if (path.endsWith("master.m3u8")) {
      if (v.mediaPath == null) {
        for (String line : text.split("\n")) {
          if (!line.isEmpty() && !line.startsWith("#")) {
            v.mediaPath = dir + line.trim();
            break;
          }
        }
        v.todo.add(new Req(v.id, now, 0, false, v.mediaPath));
      }
      return;
    }
    if (!path.endsWith(".m3u8")) {
      return; // a part or a segment: the next reload is already planned.
    }
    // Media playlist: the newest complete segment, the parts after it, the newest part.
    long msn = -1;
    int partsAfter = 0;
    String lastPart = null;
    int at = text.indexOf("#EXT-X-MEDIA-SEQUENCE:");
    long seq = Long.parseLong(text.substring(at + 22, text.indexOf('\n', at)).trim());
    msn = seq - 1;
    for (int i = 0; i < text.length(); ) {
      int e = text.indexOf('\n', i);
      if (e < 0) {
        e = text.length();
      }
      if (text.startsWith("#EXTINF:", i)) {
        msn++;
        partsAfter = 0;
      } else if (text.startsWith("#EXT-X-PART:", i)) {
        partsAfter++;
        int u = text.indexOf("URI=\"", i) + 5;
        lastPart = text.substring(u, text.indexOf('"', u));
      }
      i = e + 1;
    }
    if (lastPart != null) {
      v.todo.add(new Req(v.id, now, 0, false, dir + lastPart));
    }
    if (v.lastMsn >= 0 && msn > v.lastMsn && (v.id + msn) % 8 == 0) {
      v.todo.add(new Req(v.id, now, 0, false, dir + "s" + msn + ".m4s"));
    }
    v.lastMsn = msn;
    if (++v.reloads % 100 == 0) {
      v.todo.add(new Req(v.id, now, 0, false, dir.replaceAll("/[^/]+/[^/]+/$", "/") + "master.m3u8"));
    }
    v.todo.add(
        new Req(v.id, now, 0, true, path + "?_HLS_msn=" + (msn + 1) + "&_HLS_part=" + partsAfter));
  }
}
