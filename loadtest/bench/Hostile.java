import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Issue 9 figures against a running Headwater whose stream STREAM is being published (JDK only:
 * java Hostile.java ...). Five phases of SECONDS each, the same VIEWERS LL-HLS viewers (blocking
 * playlist requests for every part, HTTP/1.1) throughout:
 *   reference: no attack;
 *   bombs:     100 RTMP connections from 10 addresses, each announcing 64 messages of 8 MiB and
 *              sending one chunk of each (half of them instead stay just under the per-connection
 *              bound: 64 messages of 60 KB with 1 KiB sent of each), reconnecting BOMB_PAUSE_MS
 *              (env, default 100) after being closed;
 *   flood:     FLOOD idle TCP connections (16 per 127.3.x.y address), held until the server
 *              closes them; meanwhile a raw publish measures connect -> NetStream.Publish.Start;
 *   slowloris: SLOW HTTP connections (16 per 127.4.x.y address) each sending one byte of a
 *              request head every 5 s, until the server closes them;
 *   stalled:   STALLED HTTP clients (16 per 127.5.x.y address, receive buffer 4 KiB) each
 *              requesting the newest complete segment and never reading.
 * Besides the viewers' lag and the heap, the server's CPU and resident memory per phase.
 * Per phase: the viewers' part lag (arrival of the playlist naming a new part minus the part's
 * end in EXT-X-PROGRAM-DATE-TIME time), p50/p99 and errors, from the attack's start on, and the server's live heap (jcmd
 * GC.run + GC.heap_info, taken at the end of the phase while the attack still runs).
 *
 * Usage: java Hostile.java HTTP_BASE RTMP_PORT SERVER_PID STREAM SECONDS VIEWERS FLOOD SLOW STALLED
 *   VIEWER_LOG, with the viewers started before in a process of their own (as real viewers, at the
 *   server's priority, while the attacker runs niced: the attack's own work of opening thousands of
 *   sockets must not delay them on a shared 2-core machine):
 *   java Hostile.java viewers PLAYLIST_URL VIEWERS VIEWER_LOG
 */
public class Hostile {
  static String base;
  static int rtmpPort;
  static long pid;
  static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .executor(Executors.newFixedThreadPool(4))
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor();


  public static void main(String[] args) throws Exception {
    if (args[0].equals("viewers")) {
      viewers(args[1], Integer.parseInt(args[2]), java.nio.file.Path.of(args[3]));
      return;
    }
    base = args[0];
    rtmpPort = Integer.parseInt(args[1]);
    pid = Long.parseLong(args[2]);
    String stream = args[3];
    int seconds = Integer.parseInt(args[4]);
    int viewers = Integer.parseInt(args[5]);
    int flood = Integer.parseInt(args[6]);
    int slow = Integer.parseInt(args[7]);
    int stalled = Integer.parseInt(args[8]);
    viewerLog = java.nio.file.Path.of(args[9]);
    httpPort = URI.create(base).getPort();

    String master = get(base + "/live/" + stream + "/master.m3u8").body();
    String variant =
        master.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).findFirst().orElseThrow();
    String playlist = base + "/live/" + stream + "/" + variant;

    long baseHeap = phase("reference", seconds, () -> {}, () -> {});
    AtomicBoolean bombing = new AtomicBoolean(true);
    List<Thread> bombers = new ArrayList<>();
    AtomicLong bombCycles = new AtomicLong();
    AtomicLong bombSlowCloses = new AtomicLong();
    long bombHeap =
        phase(
            "bombs",
            seconds,
            () -> {
              for (int k = 0; k < 100; k++) {
                int id = k;
                Thread t =
                    new Thread(() -> bomb(id, bombing, bombCycles, bombSlowCloses), "bomb-" + k);
                t.setDaemon(true);
                t.start();
                bombers.add(t);
              }
            },
            () -> {});
    bombing.set(false);
    for (Thread t : bombers) {
      t.join(15_000);
    }
    System.out.printf(
        "bombs: %d connection cycles (%.0f/s), %d closed later than 1 s after announcing 8 MiB messages;"
            + " live heap growth %.1f MiB over the reference (bound: 64 MiB)%n",
        bombCycles.get(), bombCycles.get() / (seconds + 1.0), bombSlowCloses.get(), (bombHeap - baseHeap) / 1048576.0);

    long beforeFlood = rawPublish("before");
    Flood f = new Flood(flood);
    long[] duringFlood = {-1};
    long floodHeap =
        phase(
            "flood",
            seconds,
            () -> {
              f.start();
              try {
                duringFlood[0] = rawPublish("during");
              } catch (Exception e) {
                duringFlood[0] = -1;
              }
            },
            () -> {});
    f.awaitAllClosed(30_000);
    System.out.printf(
        "flood: %d connections opened (%d connects failed), %d closed within 200 ms (refused at"
            + " accept), %d held until closed by the server (evicted to make room at the cap, or"
            + " at the handshake deadline); longest held %.1f s; still open after 30 s: %d%n",
        f.opened.get(), f.failedConnects.get(), f.quick.get(), f.held.get(),
        f.longestMillis.get() / 1000.0, f.open());
    System.out.printf(
        "flood: publish connect -> NetStream.Publish.Start %d ms during the flood, %d ms before"
            + " (ratio %.2f); live heap growth %.1f MiB%n",
        duringFlood[0], beforeFlood, duringFlood[0] / (double) Math.max(1, beforeFlood),
        (floodHeap - baseHeap) / 1048576.0);

    Watched loris = new Watched();
    long lorisHeap =
        phase(
            "slowloris",
            seconds,
            () -> {
              for (int i = 0; i < slow; i++) {
                int a = i / 16;
                loris.open("127.4." + (a / 250) + "." + (a % 250 + 1), httpPort, 0);
              }
              byte[] head =
                  ("GET /live/" + stream + "/master.m3u8 HTTP/1.1\r\nHost: x\r\nX-Slow: ")
                      .getBytes(StandardCharsets.US_ASCII);
              loris.trickle(head, 5000);
            },
            () -> {});
    loris.awaitAllClosed(20_000);
    System.out.printf(
        "slowloris: %d connections, %d closed by the server, longest held %.1f s (deadline"
            + " http.requestHeaderTimeoutSeconds); still open after 20 s: %d; live heap growth"
            + " %.1f MiB%n",
        loris.opened.get(), loris.held.get() + loris.quick.get(), loris.longestMillis.get() / 1000.0,
        loris.open(), (lorisHeap - baseHeap) / 1048576.0);

    String media = get(playlist).body();
    String segment =
        media.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).reduce((x, y) -> y).orElseThrow();
    String segmentUrl = URI.create(playlist).resolve(segment).getPath();
    int segmentBytes = HTTP.send(HttpRequest.newBuilder(URI.create(base + segmentUrl)).build(),
        HttpResponse.BodyHandlers.ofByteArray()).body().length;
    Watched stall = new Watched();
    long stallHeap =
        phase(
            "stalled",
            seconds,
            () -> {
              byte[] req =
                  ("GET " + segmentUrl + " HTTP/1.1\r\nHost: x\r\n\r\n")
                      .getBytes(StandardCharsets.US_ASCII);
              for (int i = 0; i < stalled; i++) {
                int a = i / 16;
                SocketChannel ch =
                    stall.open(
                        "127.5." + (a / 250) + "." + (a % 250 + 1),
                        httpPort,
                        // STALL_READ (env): clients that do read, to tell the burst's own cost
                        System.getenv("STALL_READ") != null ? 0 : 4096);
                if (ch != null) {
                  try {
                    ch.write(ByteBuffer.wrap(req));
                  } catch (IOException e) {
                    // closed already
                  }
                }
              }
            },
            () -> {});
    stall.awaitAllClosed(30_000);
    System.out.printf(
        "stalled: %d clients asked for a %d-byte segment and read nothing; %d closed by the"
            + " server, longest held %.1f s (deadline http.writeStallSeconds); still open after"
            + " 30 s: %d; live heap growth %.1f MiB%n",
        stall.opened.get(), segmentBytes, stall.held.get() + stall.quick.get(),
        stall.longestMillis.get() / 1000.0, stall.open(), (stallHeap - baseHeap) / 1048576.0);
    System.exit(0);
  }

  static int httpPort;

  static java.nio.file.Path viewerLog;

  /**
   * Runs one phase: starts the attack, takes the viewers' lags logged while it runs (from the
   * attack's start: its first seconds count), measures the heap, stops.
   */
  static long phase(String name, int seconds, Runnable attack, Runnable stop) throws Exception {
    long from = System.currentTimeMillis();
    long cpu0 = serverCpuTicks();
    attack.run();
    long elapsed = System.currentTimeMillis() - from;
    Thread.sleep(Math.max(0, seconds * 1000L - elapsed));
    long to = System.currentTimeMillis();
    double cpuShare = (serverCpuTicks() - cpu0) / 100.0 / ((to - from) / 1000.0);
    List<Long> got = new ArrayList<>();
    List<Long> settled = new ArrayList<>();
    long errors = 0;
    for (String line : java.nio.file.Files.readAllLines(viewerLog)) {
      String[] f = line.split(" ");
      long t = Long.parseLong(f[1]);
      if (t >= from && t < to) {
        if (f[0].equals("E")) {
          errors++;
        } else {
          got.add(Long.parseLong(f[2]));
          if (t >= from + 3000) {
            settled.add(Long.parseLong(f[2]));
          }
        }
      }
    }
    long rss = residentBytes();
    long heap = liveHeap();
    stop.run();
    Collections.sort(got);
    Collections.sort(settled);
    System.out.printf("%s: window %d..%d (viewers' log times)%n", name, from, to);
    System.out.printf(
        "%s: viewers' part lag p50 %d ms, p99 %d ms over %d parts (p99 %d ms after the first 3 s),"
            + " %d errors; server CPU %.2f cores; live heap %.1f MiB; resident %.0f MiB%n",
        name, pct(got, 0.5), pct(got, 0.99), got.size(), pct(settled, 0.99), errors, cpuShare,
        heap / 1048576.0, rss / 1048576.0);
    return heap;
  }

  static long pct(List<Long> sorted, double q) {
    return sorted.isEmpty() ? -1 : sorted.get((int) Math.min(sorted.size() - 1, q * sorted.size()));
  }

  // ---- viewers ----

  /** The viewers' process: COUNT viewers of PLAYLIST, each lag logged as "L time lag". */
  static void viewers(String playlist, int count, java.nio.file.Path log) throws Exception {
    java.io.PrintWriter out =
        new java.io.PrintWriter(java.nio.file.Files.newBufferedWriter(log), false);
    lagSink =
        (t, lag) -> {
          synchronized (out) {
            out.println(lag == null ? "E " + t : "L " + t + " " + lag);
          }
        };
    TIMER.scheduleAtFixedRate(
        () -> {
          synchronized (out) {
            out.flush();
          }
        },
        500,
        500,
        TimeUnit.MILLISECONDS);
    for (int i = 0; i < count; i++) {
      TIMER.schedule(() -> view(playlist, -1, -1), i * 20L, TimeUnit.MILLISECONDS);
    }
    Thread.sleep(Long.MAX_VALUE);
  }

  static volatile java.util.function.BiConsumer<Long, Long> lagSink;

  /** One LL-HLS viewer: a blocking request for the part after the newest one, forever. */
  static void view(String playlist, long msn, long part) {
    String url = msn < 0 ? playlist : playlist + "?_HLS_msn=" + msn + "&_HLS_part=" + part;
    HttpRequest r = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build();
    HTTP.sendAsync(r, HttpResponse.BodyHandlers.ofString())
        .whenComplete(
            (resp, err) -> {
              long now = System.currentTimeMillis();
              if (err != null || resp.statusCode() != 200) {
                lagSink.accept(now, null);
                TIMER.schedule(() -> view(playlist, -1, -1), 200, TimeUnit.MILLISECONDS);
                return;
              }
              Newest n = Newest.of(resp.body());
              if (msn >= 0 && !Double.isNaN(n.partEndMillis)) {
                lagSink.accept(now, now - (long) n.partEndMillis);
              }
              view(playlist, n.complete ? n.msn + 1 : n.msn, n.complete ? 0 : n.part + 1);
            });
  }

  /** The newest part of a media playlist and the wall-clock time its media ends. */
  record Newest(long msn, long part, boolean complete, double partEndMillis) {
    static Newest of(String text) {
      long msn = 0;
      long partIndex = 0;
      long lastMsn = 0;
      long lastPart = -1;
      boolean complete = true;
      double segStart = Double.NaN;
      double offset = 0;
      double extinf = 0;
      double partEnd = Double.NaN;
      boolean afterExtinf = false;
      for (String line : text.split("\n")) {
        if (line.startsWith("#EXT-X-MEDIA-SEQUENCE:")) {
          msn = Long.parseLong(line.substring(22).trim());
        } else if (line.startsWith("#EXT-X-SKIP:")) {
          msn += Long.parseLong(line.replaceAll(".*SKIPPED-SEGMENTS=(\\d+).*", "$1"));
        } else if (line.startsWith("#EXT-X-PROGRAM-DATE-TIME:")) {
          segStart = Instant.parse(line.substring(25).trim()).toEpochMilli();
          offset = 0;
        } else if (line.startsWith("#EXT-X-PART:")) {
          offset += Double.parseDouble(line.replaceAll(".*DURATION=([0-9.]+).*", "$1"));
          partEnd = segStart + offset * 1000;
          lastMsn = msn;
          lastPart = partIndex++;
          complete = false;
        } else if (line.startsWith("#EXTINF:")) {
          extinf = Double.parseDouble(line.substring(8, line.indexOf(',')));
          afterExtinf = true;
        } else if (afterExtinf && !line.startsWith("#") && !line.isBlank()) {
          segStart += extinf * 1000;
          offset = 0;
          msn++;
          partIndex = 0;
          afterExtinf = false;
          complete = true;
          lastMsn = msn - 1;
        }
      }
      return new Newest(lastMsn, lastPart, complete, partEnd);
    }
  }

  // ---- attacks ----

  static void bomb(int id, AtomicBoolean on, AtomicLong cycles, AtomicLong slow) {
    boolean hoarder = id % 2 == 1;
    String from = "127.2.0." + (1 + id / 10);
    while (on.get()) {
      try (Socket s = open(from)) {
        handshake(s);
        s.getOutputStream().write(connect());
        long t0 = System.nanoTime();
        for (int i = 0; i < 64; i++) {
          int csid = 3 + i; // 3..66: one- and two-byte basic headers
          s.getOutputStream().write(announce(csid, hoarder ? 60_000 : 8 * 1024 * 1024));
          // One chunk of 128 bytes of each, or 8 chunks (1 KiB) for a hoarder.
          for (int c = 0; c < (hoarder ? 8 : 1); c++) {
            if (c > 0) {
              s.getOutputStream().write(continuation(csid));
            }
            s.getOutputStream().write(new byte[128]);
          }
        }
        s.getOutputStream().flush();
        waitClosed(s, 20_000);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        if (!hoarder && ms > 1000) {
          slow.incrementAndGet();
        }
        cycles.incrementAndGet();
      } catch (IOException e) {
        cycles.incrementAndGet(); // reset mid-send or refused at accept: closed as well
      }
      if (BOMB_PAUSE_MS > 0) {
        try {
          Thread.sleep(BOMB_PAUSE_MS);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  /** Pause of a bomb connection before it reconnects (env BOMB_PAUSE_MS; 0: as fast as it can). */
  static final long BOMB_PAUSE_MS =
      Long.parseLong(System.getenv().getOrDefault("BOMB_PAUSE_MS", "100"));

  /** Connect -> NetStream.Publish.Start in ms (then the connection is closed), or -1. */
  static long rawPublish(String name) throws Exception {
    try (Socket s = open("127.0.0.1")) {
      long t0 = System.nanoTime();
      handshake(s);
      s.getOutputStream().write(connect());
      s.getOutputStream().write(command(3, 0, "createStream", 2, List.of()));
      s.getOutputStream().write(command(8, 1, "publish", 3, List.of(name, "live")));
      s.getOutputStream().flush();
      StringBuilder seen = new StringBuilder();
      s.setSoTimeout(10_000);
      InputStream in = s.getInputStream();
      byte[] buf = new byte[4096];
      while (!seen.toString().contains("NetStream.Publish.Start")) {
        int n = in.read(buf);
        if (n < 0) {
          return -1;
        }
        seen.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
      }
      return (System.nanoTime() - t0) / 1_000_000;
    }
  }

  /**
   * Connections watched by one selector, which notes when the server closes each (reading, and
   * discarding, anything it sends unless the receive buffer is meant to fill up).
   */
  static class Watched {
    final AtomicLong opened = new AtomicLong();
    final AtomicLong failedConnects = new AtomicLong();
    final AtomicLong quick = new AtomicLong();
    final AtomicLong held = new AtomicLong();
    final AtomicLong longestMillis = new AtomicLong();
    final ConcurrentHashMap<SocketChannel, Long> openSince = new ConcurrentHashMap<>();
    final java.util.concurrent.ConcurrentLinkedQueue<SocketChannel> toRegister =
        new java.util.concurrent.ConcurrentLinkedQueue<>();
    final AtomicBoolean watching = new AtomicBoolean(true);
    volatile boolean readData = true;
    Selector selector;
    private long polls;

    int open() {
      return openSince.size();
    }

    /** Opens one connection from {@code from}; rcvbuf > 0: a small receive buffer, never read. */
    SocketChannel open(String from, int port, int rcvbuf) {
      try {
        if (selector == null) {
          selector = Selector.open();
          Thread watcher = new Thread(this::watch, "watch");
          watcher.setDaemon(true);
          watcher.start();
        }
        SocketChannel ch = SocketChannel.open();
        if (rcvbuf > 0) {
          readData = false;
          ch.socket().setReceiveBufferSize(rcvbuf);
        }
        ch.bind(new InetSocketAddress(from, 0));
        ch.socket().connect(new InetSocketAddress("127.0.0.1", port), 2000);
        ch.configureBlocking(false);
        openSince.put(ch, System.nanoTime());
        opened.incrementAndGet();
        toRegister.add(ch);
        selector.wakeup();
        return ch;
      } catch (IOException e) {
        failedConnects.incrementAndGet();
        return null;
      }
    }

    /** Sends one byte of {@code bytes} (then the next, ...) on every open connection every period. */
    void trickle(byte[] bytes, long periodMillis) {
      AtomicLong index = new AtomicLong();
      TIMER.scheduleAtFixedRate(
          () -> {
            byte b = bytes[(int) Math.min(bytes.length - 1, index.getAndIncrement())];
            for (SocketChannel ch : openSince.keySet()) {
              try {
                ch.write(ByteBuffer.wrap(new byte[] {b}));
              } catch (IOException e) {
                // noticed by the watcher
              }
            }
          },
          0,
          periodMillis,
          TimeUnit.MILLISECONDS);
    }

    private void watch() {
      ByteBuffer buf = ByteBuffer.allocate(8192);
      while (watching.get()) {
        try {
          for (SocketChannel ch; (ch = toRegister.poll()) != null; ) {
            // A stalled reader only learns of the close by a reset on write, or EOF once its
            // buffer is read: it polls with a zero-length read below instead of reading data.
            ch.register(selector, readData ? SelectionKey.OP_READ : 0);
          }
          selector.select(100);
          if (readData) {
            for (SelectionKey k : selector.selectedKeys()) {
              SocketChannel ch = (SocketChannel) k.channel();
              int n;
              try {
                buf.clear();
                n = ch.read(buf);
              } catch (IOException e) {
                n = -1;
              }
              if (n < 0) {
                closed(k, ch);
              }
            }
            selector.selectedKeys().clear();
          } else if (++polls % 10 == 0) {
            // Once a second: a stalled reader probes its connections (see isClosedByPeer).
            for (SelectionKey k : selector.keys()) {
              SocketChannel ch = (SocketChannel) k.channel();
              if (isClosedByPeer(ch)) {
                closed(k, ch);
              }
            }
          }
        } catch (IOException e) {
          // keep watching the rest
        }
      }
    }

    /**
     * Whether the server closed a connection whose data we do not read: its FIN waits behind the
     * unread data, but bytes sent to a closed socket draw a reset, which fails a later write. The
     * probe byte is a CR, which HTTP/1.1 servers skip before a request line (RFC 9112 2.2).
     */
    private boolean isClosedByPeer(SocketChannel ch) {
      try {
        ch.write(ByteBuffer.wrap(new byte[] {'\r'}));
        return false;
      } catch (IOException e) {
        return true;
      }
    }

    private void closed(SelectionKey k, SocketChannel ch) throws IOException {
      Long since = openSince.remove(ch);
      if (since != null) {
        long ms = (System.nanoTime() - since) / 1_000_000;
        if (ms < 200) {
          quick.incrementAndGet();
        } else {
          held.incrementAndGet();
          longestMillis.accumulateAndGet(ms, Math::max);
        }
      }
      k.cancel();
      ch.close();
    }

    void awaitAllClosed(long millis) throws Exception {
      long end = System.currentTimeMillis() + millis;
      while (!openSince.isEmpty() && System.currentTimeMillis() < end) {
        Thread.sleep(100);
      }
      watching.set(false);
      for (SocketChannel ch : openSince.keySet()) {
        ch.close();
      }
    }
  }

  /** An idle-connection flood of the RTMP port, 16 per 127.3.x.y address. */
  static final class Flood extends Watched {
    final int count;

    Flood(int count) {
      this.count = count;
    }

    void start() {
      for (int i = 0; i < count; i++) {
        int a = i / 16;
        open("127.3." + (a / 250) + "." + (a % 250 + 1), rtmpPort, 0);
      }
    }
  }

  static Socket open(String from) throws IOException {
    Socket s = new Socket();
    s.bind(new InetSocketAddress(from, 0));
    s.connect(new InetSocketAddress("127.0.0.1", rtmpPort), 5000);
    s.setTcpNoDelay(true);
    return s;
  }

  static void handshake(Socket s) throws IOException {
    byte[] c0c1 = new byte[1537];
    c0c1[0] = 3;
    s.getOutputStream().write(c0c1);
    s.setSoTimeout(10_000);
    byte[] s012 = s.getInputStream().readNBytes(3073);
    if (s012.length < 3073) {
      throw new IOException("handshake cut");
    }
    byte[] c2 = new byte[1536];
    System.arraycopy(s012, 1, c2, 0, 1536);
    s.getOutputStream().write(c2);
  }

  static void waitClosed(Socket s, int millis) throws IOException {
    s.setSoTimeout(millis);
    byte[] buf = new byte[4096];
    try {
      while (s.getInputStream().read(buf) >= 0) {}
    } catch (SocketTimeoutException e) {
      // still open: the caller counts it as slow
    } catch (IOException e) {
      // reset: closed
    }
  }

  // ---- RTMP bytes (RTMP 5.3.1 chunk headers, AMF0 commands), written by hand for the attack ----

  static byte[] announce(int csid, int length) {
    byte[] basic = csid < 64 ? new byte[] {(byte) csid} : new byte[] {0, (byte) (csid - 64)};
    byte[] h = new byte[basic.length + 11];
    System.arraycopy(basic, 0, h, 0, basic.length);
    int p = basic.length;
    h[p + 3] = (byte) (length >>> 16);
    h[p + 4] = (byte) (length >>> 8);
    h[p + 5] = (byte) length;
    h[p + 6] = 9; // video
    h[p + 7] = 1; // message stream 1
    return h;
  }

  static byte[] continuation(int csid) {
    return csid < 64 ? new byte[] {(byte) (0xC0 | csid)} : new byte[] {(byte) 0xC0, (byte) (csid - 64)};
  }

  static byte[] connect() {
    Amf a = new Amf().string("connect").number(1).objectStart();
    a.key("app").string("live").key("tcUrl").string("rtmp://127.0.0.1/live").objectEnd();
    return chunked(3, 0, a.bytes());
  }

  static byte[] command(int csid, int streamId, String name, double tx, List<String> args) {
    Amf a = new Amf().string(name).number(tx).nul();
    for (String s : args) {
      a.string(s);
    }
    return chunked(csid, streamId, a.bytes());
  }

  /** A type 20 message in chunks of 128 bytes (the default chunk size). */
  static byte[] chunked(int csid, int streamId, byte[] body) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.writeBytes(
        new byte[] {
          (byte) csid, 0, 0, 0,
          (byte) (body.length >>> 16), (byte) (body.length >>> 8), (byte) body.length,
          20, (byte) streamId, 0, 0, 0
        });
    for (int p = 0; p < body.length; p += 128) {
      if (p > 0) {
        out.write(0xC0 | csid);
      }
      out.write(body, p, Math.min(128, body.length - p));
    }
    return out.toByteArray();
  }

  /** Just enough AMF0 (AMF0 spec 2.2-2.7) for connect, createStream and publish. */
  static final class Amf {
    final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();

    Amf number(double v) {
      out.write(0);
      out.writeBytes(ByteBuffer.allocate(8).putDouble(v).array());
      return this;
    }

    Amf string(String s) {
      out.write(2);
      return key(s);
    }

    Amf key(String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      out.write(b.length >>> 8);
      out.write(b.length);
      out.writeBytes(b);
      return this;
    }

    Amf nul() {
      out.write(5);
      return this;
    }

    Amf objectStart() {
      out.write(3);
      return this;
    }

    Amf objectEnd() {
      out.writeBytes(new byte[] {0, 0, 9});
      return this;
    }

    byte[] bytes() {
      return out.toByteArray();
    }
  }

  // ---- the server ----

  static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Live heap in bytes: the total of jcmd's GC.class_histogram, which counts the objects left by the
   * full GC it runs first. (GC.heap_info after GC.run is not: under a connection churn, fresh
   * garbage piles up between the two commands.)
   */
  static long liveHeap() throws Exception {
    String histo = run("jcmd", Long.toString(pid), "GC.class_histogram");
    var m = java.util.regex.Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)").matcher(histo);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  /** The server's resident memory (VmRSS), heap, direct buffers and everything else. */
  static long residentBytes() throws IOException {
    for (String line :
        java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
      }
    }
    return -1;
  }

  /** The server's user + system CPU time in clock ticks (1/100 s), from /proc/PID/stat. */
  static long serverCpuTicks() throws IOException {
    String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  static String run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out;
  }
}
