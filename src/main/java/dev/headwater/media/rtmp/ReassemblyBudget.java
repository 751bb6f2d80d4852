package dev.headwater.media.rtmp;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes that chunk decoders may hold in partly received messages, shared by several connections:
 * the connections that have not authenticated yet draw from one of these, so that many anonymous
 * connections together cannot hold more than its capacity. Implementations are thread-safe.
 */
public interface ReassemblyBudget {

  /** Takes {@code bytes} from the budget if they fit; false leaves the budget unchanged. */
  boolean tryReserve(long bytes);

  /** Returns bytes taken earlier. */
  void release(long bytes);

  /** Bytes taken now. */
  long reserved();

  /** A budget that never refuses (for authenticated publishers, bounded per connection). */
  ReassemblyBudget UNLIMITED =
      new ReassemblyBudget() {
        @Override
        public boolean tryReserve(long bytes) {
          return true;
        }

        @Override
        public void release(long bytes) {}

        @Override
        public long reserved() {
          return 0;
        }
      };

  /** A budget of {@code capacity} bytes shared by every decoder that uses it. */
  static ReassemblyBudget shared(long capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive");
    }
    AtomicLong used = new AtomicLong();
    return new ReassemblyBudget() {
      @Override
      public boolean tryReserve(long bytes) {
        while (true) {
          long now = used.get();
          if (now + bytes > capacity) {
            return false;
          }
          if (used.compareAndSet(now, now + bytes)) {
            return true;
          }
        }
      }

      @Override
      public void release(long bytes) {
        used.addAndGet(-bytes);
      }

      @Override
      public long reserved() {
        return used.get();
      }
    };
  }
}
