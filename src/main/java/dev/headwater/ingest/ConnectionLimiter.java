package dev.headwater.ingest;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts open RTMP connections, in all and per client address, so that one address (or a botnet
 * across many) cannot take every socket the origin is willing to hold. Thread-safe: the listener
 * may run on several event loops.
 */
final class ConnectionLimiter {

  /** Why a connection was refused; the tag of the refusal counter. */
  enum Refusal {
    TOTAL("total"),
    PER_ADDRESS("per_address");

    final String tag;

    Refusal(String tag) {
      this.tag = tag;
    }
  }

  private final int maxTotal;
  private final int maxPerAddress;
  private final AtomicInteger total = new AtomicInteger();
  private final ConcurrentHashMap<String, Integer> perAddress = new ConcurrentHashMap<>();

  ConnectionLimiter(int maxTotal, int maxPerAddress) {
    this.maxTotal = maxTotal;
    this.maxPerAddress = maxPerAddress;
  }

  /** Takes a slot for a connection from {@code address}; null when admitted, else why not. */
  Refusal tryAcquire(String address) {
    if (total.incrementAndGet() > maxTotal) {
      total.decrementAndGet();
      return Refusal.TOTAL;
    }
    boolean[] admitted = {false};
    perAddress.compute(
        address,
        (a, n) -> {
          int now = n == null ? 0 : n;
          if (now >= maxPerAddress) {
            return n;
          }
          admitted[0] = true;
          return now + 1;
        });
    if (!admitted[0]) {
      total.decrementAndGet();
      return Refusal.PER_ADDRESS;
    }
    return null;
  }

  /** Returns the slot of a connection admitted earlier. */
  void release(String address) {
    perAddress.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
    total.decrementAndGet();
  }

  int open() {
    return total.get();
  }

  /** Distinct addresses with an open connection (the map's size, bounded by {@link #open}). */
  int addresses() {
    return perAddress.size();
  }
}
