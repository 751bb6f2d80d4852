package dev.headwater.record;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads recorded objects for replay and DVR viewers on a pool of worker threads shared by every
 * HTTP verticle ({@code recording.readThreads}), since storage reads block. Reads waiting for a
 * thread are bounded: past the bound a read fails at once with {@link Busy}, answered 503, rather
 * than queueing without end behind a slow store.
 */
public final class RecordingReader {
  private static final String POOL = "headwater-recording-read";

  /** Too many reads are waiting for storage. */
  public static final class Busy extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Busy() {
      super("too many recording reads in progress", null, false, false);
    }
  }

  private final ObjectStore store;
  private final WorkerExecutor pool;
  private final int maxInFlight;
  private final AtomicInteger inFlight = new AtomicInteger();

  public RecordingReader(Vertx vertx, ObjectStore store, int threads) {
    this.store = store;
    this.pool = vertx.createSharedWorkerExecutor(POOL, threads);
    this.maxInFlight = threads * 16;
  }

  /** The object's bytes, or null when it is absent. */
  public Future<Buffer> read(String key) {
    if (inFlight.incrementAndGet() > maxInFlight) {
      inFlight.decrementAndGet();
      return Future.failedFuture(new Busy());
    }
    return pool.<Buffer>executeBlocking(
            () -> {
              byte[] bytes = store.get(key);
              return bytes == null ? null : Buffer.buffer(bytes);
            },
            false)
        .andThen(ar -> inFlight.decrementAndGet());
  }

  public void close() {
    pool.close();
  }
}
