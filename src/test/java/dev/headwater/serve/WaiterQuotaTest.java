package dev.headwater.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headwater.config.Cidr;
import dev.headwater.metrics.Metrics.WaiterRefusal;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fair-share accountant alone: every bound, what it refuses, and what a release gives back. */
class WaiterQuotaTest {
  private static InetAddress ip(String literal) throws Exception {
    return InetAddress.getByName(literal);
  }

  @Test
  void refusesPastTheConnectionShareButNotTheClientsOtherConnection() throws Exception {
    WaiterQuota q = new WaiterQuota(2, 100, Long.MAX_VALUE, List.of());
    WaiterQuota.Account a = q.account(ip("192.0.2.1"));
    WaiterQuota.Account b = q.account(ip("192.0.2.1"));
    assertNull(q.acquire(a));
    assertNull(q.acquire(a));
    assertEquals(WaiterRefusal.CONNECTION, q.acquire(a));
    assertNull(q.acquire(b), "the same client's other connection has its own share");
    assertEquals(3, q.parkedBy("192.0.2.1"));
  }

  @Test
  void refusesPastTheClientShareOverAllItsConnectionsOnly() throws Exception {
    WaiterQuota q = new WaiterQuota(100, 3, Long.MAX_VALUE, List.of());
    WaiterQuota.Account[] attacker = new WaiterQuota.Account[3];
    for (int i = 0; i < 3; i++) {
      attacker[i] = q.account(ip("198.51.100.7"));
      assertNull(q.acquire(attacker[i]));
    }
    WaiterQuota.Account more = q.account(ip("198.51.100.7"));
    assertEquals(WaiterRefusal.CLIENT, q.acquire(more));
    assertEquals(0, more.parked, "a refusal takes nothing");
    WaiterQuota.Account viewer = q.account(ip("203.0.113.9"));
    assertNull(q.acquire(viewer), "another client still parks");
    q.release(attacker[0]);
    assertNull(q.acquire(more), "a release frees the client's slot");
  }

  @Test
  void refusesEveryonePastTheByteBound() throws Exception {
    WaiterQuota q = new WaiterQuota(100, 100, 2L * WaiterQuota.WAITER_BYTES, List.of());
    WaiterQuota.Account a = q.account(ip("192.0.2.1"));
    WaiterQuota.Account b = q.account(ip("192.0.2.2"));
    assertNull(q.acquire(a));
    assertNull(q.acquire(b));
    assertEquals(WaiterRefusal.MEMORY, q.acquire(a));
    assertEquals(WaiterRefusal.MEMORY, q.acquire(q.account(ip("10.0.0.1"))));
    assertEquals(2L * WaiterQuota.WAITER_BYTES, q.bytes());
    q.release(b);
    assertEquals(WaiterQuota.WAITER_BYTES, q.bytes());
    assertEquals(0, q.parkedBy("192.0.2.2"), "an emptied client is forgotten");
  }

  @Test
  void trustedClientsSkipBothSharesButNotTheByteBound() throws Exception {
    WaiterQuota q =
        new WaiterQuota(1, 1, 3L * WaiterQuota.WAITER_BYTES, List.of(Cidr.parse("203.0.113.0/24")));
    WaiterQuota.Account edge = q.account(ip("203.0.113.200"));
    assertTrue(edge.exempt);
    assertNull(q.acquire(edge));
    assertNull(q.acquire(edge));
    assertNull(q.acquire(edge));
    assertEquals(WaiterRefusal.MEMORY, q.acquire(edge));
    assertFalse(q.account(ip("203.0.114.1")).exempt);
  }

  @Test
  void theClustersOtherOriginsAreTrustedAsEdgesAre() throws Exception {
    WaiterQuota q = new WaiterQuota(1, 1, 10L * WaiterQuota.WAITER_BYTES, List.of());
    assertFalse(q.account(ip("10.0.0.6")).exempt);
    q.trustPeers(a -> a.getHostAddress().equals("10.0.0.6"));
    WaiterQuota.Account origin = q.account(ip("10.0.0.6"));
    assertTrue(origin.exempt);
    assertNull(q.acquire(origin));
    assertNull(q.acquire(origin), "past one viewer's share");
    assertFalse(q.account(ip("10.0.0.7")).exempt);
  }

  @Test
  void countsAnIpv6ClientByItsSlash64() throws Exception {
    assertEquals(
        WaiterQuota.clientKey(ip("2001:db8:1:2::1")),
        WaiterQuota.clientKey(ip("2001:db8:1:2:ffff::9")));
    assertEquals("20010db800010002::/64", WaiterQuota.clientKey(ip("2001:db8:1:2::1")));
    assertFalse(
        WaiterQuota.clientKey(ip("2001:db8:1:3::1"))
            .equals(WaiterQuota.clientKey(ip("2001:db8:1:2::1"))));
    assertEquals("192.0.2.1", WaiterQuota.clientKey(ip("::ffff:192.0.2.1")), "IPv4-mapped");
  }
}
