package dev.headwater.serve;

import dev.headwater.config.Cidr;
import dev.headwater.config.HeadwaterConfig;
import dev.headwater.metrics.Metrics.WaiterRefusal;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Fair shares of parked blocking requests: at most {@code perConnection} on one connection, {@code
 * perClient} from one client address (over all its connections and every HTTP instance), and {@code
 * maxBytes} of them in the whole process at {@value #WAITER_BYTES} bytes each. Without the first
 * two, one client holding 40 HTTP/2 connections × 1,000 streams took every slot of the
 * per-rendition bound and every real viewer got 503; with them only the client past its share is
 * refused. Clients in {@code trusted} (CDN edges, which park requests for many viewers from one
 * address) are exempt from both shares, not from the byte bound.
 *
 * <p>One instance is shared by the HTTP verticles: an {@link Account} is touched only on its
 * connection's event loop, the per-client counts and the byte total under this object's lock (two
 * or a few event loops; held for a map lookup).
 */
final class WaiterQuota {
  /**
   * Heap a parked request keeps alive: 8.6 KB measured with 10,000 parked HTTP/2 streams
   * (loadtest/RESULTS.md), rounded up; HTTP/1.1 costs less, so the bound errs on the safe side.
   */
  static final int WAITER_BYTES = 8_800;

  private final int perConnection;
  private final int perClient;
  private final long maxBytes;
  private final List<Cidr> trusted;

  /**
   * The other origins of a cluster: each carries many viewers' forwarded requests on a few
   * connections, as an edge does, so it is trusted as an edge is without being listed.
   */
  private volatile java.util.function.Predicate<InetAddress> peers = a -> false;

  private final Map<String, int[]> byClient = new HashMap<>();
  private long bytes;

  WaiterQuota(int perConnection, int perClient, long maxBytes, List<Cidr> trusted) {
    this.perConnection = perConnection;
    this.perClient = perClient;
    this.maxBytes = maxBytes;
    this.trusted = List.copyOf(trusted);
  }

  static WaiterQuota of(HeadwaterConfig.Http http) {
    return new WaiterQuota(
        http.maxWaitersPerConnection(),
        http.maxWaitersPerClient(),
        http.maxWaiterBytes(),
        http.trustedClients().stream().map(Cidr::parse).toList());
  }

  /** Also trusts the addresses {@code isPeer} accepts (the cluster's other origins). */
  void trustPeers(java.util.function.Predicate<InetAddress> isPeer) {
    this.peers = isPeer;
  }

  /** No shares and no byte bound (tests of other things). */
  static WaiterQuota unlimited() {
    return new WaiterQuota(Integer.MAX_VALUE, Integer.MAX_VALUE, Long.MAX_VALUE, List.of());
  }

  /**
   * The account of a new connection from {@code address} (null: unknown, counted as one client).
   */
  Account account(InetAddress address) {
    byte[] raw = address == null ? new byte[0] : address.getAddress();
    boolean exempt = false;
    for (Cidr c : trusted) {
      exempt |= c.contains(raw);
    }
    exempt |= address != null && peers.test(address);
    return new Account(clientKey(address), exempt);
  }

  /**
   * The client an address counts as: itself for IPv4; its /64 for IPv6, since one subscriber
   * usually has a whole /64 to pick addresses from.
   */
  static String clientKey(InetAddress address) {
    if (address == null) {
      return "unknown";
    }
    byte[] raw = address.getAddress();
    if (address instanceof Inet6Address) {
      return HexFormat.of().formatHex(raw, 0, 8) + "::/64";
    }
    return address.getHostAddress();
  }

  /**
   * Takes one parked-request slot for {@code a}, or says which bound refuses it (taking nothing).
   */
  WaiterRefusal acquire(Account a) {
    if (!a.exempt && a.parked >= perConnection) {
      return WaiterRefusal.CONNECTION;
    }
    synchronized (this) {
      if (bytes + WAITER_BYTES > maxBytes) {
        return WaiterRefusal.MEMORY;
      }
      if (!a.exempt) {
        int[] n = byClient.computeIfAbsent(a.client, k -> new int[1]);
        if (n[0] >= perClient) {
          return WaiterRefusal.CLIENT;
        }
        n[0]++;
      }
      bytes += WAITER_BYTES;
    }
    a.parked++;
    return null;
  }

  /** Gives back a slot {@link #acquire} took for {@code a}. */
  void release(Account a) {
    a.parked--;
    synchronized (this) {
      bytes -= WAITER_BYTES;
      if (!a.exempt) {
        int[] n = byClient.get(a.client);
        if (n != null && --n[0] <= 0) {
          byClient.remove(a.client);
        }
      }
    }
  }

  /** Parked requests of {@code client} now (tests). */
  synchronized int parkedBy(String client) {
    int[] n = byClient.get(client);
    return n == null ? 0 : n[0];
  }

  /** Bytes counted for all parked requests now (tests). */
  synchronized long bytes() {
    return bytes;
  }

  /**
   * What one connection has parked, and whether its client is trusted. Touched only on the
   * connection's event loop.
   */
  static final class Account {
    final String client;
    final boolean exempt;
    int parked;

    Account(String client, boolean exempt) {
      this.client = client;
      this.exempt = exempt;
    }
  }
}
