import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The floor under the fan-out benchmark on this machine: the time to write one response-sized buffer
 * to each of N loopback TCP sockets from T threads (T = Headwater's HTTP instances), with one thread
 * reading them all as the fan-out client does — no HTTP, no Vert.x, nothing but the {@code write}
 * syscalls. A wake pass over HTTP/1.1 cannot beat this; the ratio Headwater / floor says how much of
 * the pass is the server's own work.
 *
 * <p>Usage: java SocketFloor.java N THREADS BYTES ROUNDS
 */
public class SocketFloor {
  public static void main(String[] args) throws Exception {
    int n = Integer.parseInt(args[0]);
    int threads = Integer.parseInt(args[1]);
    int size = Integer.parseInt(args[2]);
    int rounds = Integer.parseInt(args[3]);
    ServerSocketChannel listener = ServerSocketChannel.open();
    listener.bind(new InetSocketAddress("127.0.0.1", 0), 4096);
    Selector selector = Selector.open();
    List<SocketChannel> servers = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      SocketChannel c = SocketChannel.open(listener.getLocalAddress());
      c.configureBlocking(false);
      c.register(selector, SelectionKey.OP_READ);
      SocketChannel s = listener.accept();
      s.setOption(StandardSocketOptions.TCP_NODELAY, true);
      s.configureBlocking(false);
      servers.add(s);
    }
    AtomicLong received = new AtomicLong();
    Thread reader = new Thread(() -> {
      ByteBuffer b = ByteBuffer.allocateDirect(64 * 1024);
      try {
        while (true) {
          selector.select();
          for (SelectionKey k : selector.selectedKeys()) {
            b.clear();
            received.addAndGet(((SocketChannel) k.channel()).read(b));
          }
          selector.selectedKeys().clear();
        }
      } catch (Exception e) {
        // the process exits
      }
    }, "reader");
    reader.setDaemon(true);
    reader.start();
    ByteBuffer payload = ByteBuffer.allocateDirect(size);
    double[] ms = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      CountDownLatch done = new CountDownLatch(threads);
      long t0 = System.nanoTime();
      for (int t = 0; t < threads; t++) {
        List<SocketChannel> mine = servers.subList(t * n / threads, (t + 1) * n / threads);
        new Thread(() -> {
          try {
            for (SocketChannel s : mine) {
              s.write(payload.duplicate());
            }
          } catch (Exception e) {
            throw new RuntimeException(e);
          }
          done.countDown();
        }).start();
      }
      done.await();
      ms[r] = (System.nanoTime() - t0) / 1e6;
      long want = (long) n * size * (r + 1);
      while (received.get() < want) {
        Thread.onSpinWait();
      }
      Thread.sleep(200);
    }
    double[] sorted = ms.clone();
    Arrays.sort(sorted);
    System.out.printf(Locale.ROOT, "floor n=%d threads=%d bytes=%d rounds=%d write-all p50=%.1f ms max=%.1f ms (%.1f us per socket per thread)%n",
        n, threads, size, rounds, sorted[rounds / 2], sorted[rounds - 1], sorted[rounds / 2] * 1000 * threads / n);
  }
}
