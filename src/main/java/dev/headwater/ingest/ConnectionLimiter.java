package dev.headwater.ingest;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts open RTMP connections, in all and per client address, and paces new connections per
 * address (a token bucket), so that one address cannot take every socket the origin is willing to
 * hold nor make it do a handshake thousands of times a second. Thread-safe: the listener may run on
 * several event loops.
 *
 * <p>An address's entry outlives its last connection until its bucket has refilled (otherwise
 * closing a connection would reset the pace); {@link #sweep} drops such entries, so the map holds
 * only addresses seen within the last {@code burst / rate} seconds or with a connection open.
 */
final class ConnectionLimiter {

  /** Why a connection was refused; the tag of the refusal counter. */
  enum Refusal {
    TOTAL("total"),
    PER_ADDRESS("per_address"),
    RATE("rate");

    final String tag;

    Refusal(String tag) {
      this.tag = tag;
    }
  }

  /** One address: its open connections and its bucket of connection tokens. */
  private static final class Entry {
    int open;
    double tokens;
    long refilledAtNanos;
  }

  private final int maxTotal;
  private final int maxPerAddress;
  private final double ratePerSecond;
  private final double burst;
  private final AtomicInteger total = new AtomicInteger();
  private final ConcurrentHashMap<String, Entry> byAddress = new ConcurrentHashMap<>();

  /**
   * @param ratePerSecond new connections per second an address may open on average; it may open up
   *     to {@code maxPerAddress} at once
   */
  ConnectionLimiter(int maxTotal, int maxPerAddress, double ratePerSecond) {
    this.maxTotal = maxTotal;
    this.maxPerAddress = maxPerAddress;
    this.ratePerSecond = ratePerSecond;
    this.burst = Math.max(1, maxPerAddress);
  }

  /** Takes a slot for a connection from {@code address}; null when admitted, else why not. */
  Refusal tryAcquire(String address) {
    return tryAcquire(address, System.nanoTime());
  }

  Refusal tryAcquire(String address, long nowNanos) {
    Refusal[] refusal = {null};
    byAddress.compute(
        address,
        (a, e) -> {
          if (e == null) {
            e = new Entry();
            e.tokens = burst;
            e.refilledAtNanos = nowNanos;
          }
          refill(e, nowNanos);
          if (e.open >= maxPerAddress) {
            refusal[0] = Refusal.PER_ADDRESS;
          } else if (e.tokens < 1) {
            refusal[0] = Refusal.RATE;
          } else {
            e.tokens -= 1;
            e.open++;
          }
          return e;
        });
    if (refusal[0] != null) {
      return refusal[0];
    }
    if (total.incrementAndGet() > maxTotal) {
      total.decrementAndGet();
      // The address keeps the token it spent: a refusal at the cap still costs it its pace.
      byAddress.computeIfPresent(
          address,
          (a, e) -> {
            e.open--;
            return e;
          });
      return Refusal.TOTAL;
    }
    return null;
  }

  /** Returns the slot of a connection admitted earlier. */
  void release(String address) {
    byAddress.computeIfPresent(
        address,
        (a, e) -> {
          e.open--;
          return e;
        });
    total.decrementAndGet();
  }

  /** Forgets addresses with no open connection whose bucket is full again. */
  void sweep(long nowNanos) {
    for (String address : byAddress.keySet()) {
      // Atomic per address: a connection admitted meanwhile keeps its entry.
      byAddress.computeIfPresent(
          address,
          (a, e) -> {
            refill(e, nowNanos);
            return e.open == 0 && e.tokens >= burst ? null : e;
          });
    }
  }

  private void refill(Entry e, long nowNanos) {
    double add = (nowNanos - e.refilledAtNanos) / 1e9 * ratePerSecond;
    if (add > 0) {
      e.tokens = Math.min(burst, e.tokens + add);
      e.refilledAtNanos = nowNanos;
    }
  }

  int open() {
    return total.get();
  }

  /** Addresses tracked now (open connections, or a bucket still refilling). */
  int addresses() {
    return byAddress.size();
  }
}
