package dev.headwater.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headwater.config.HeadwaterConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The claim rules of the cluster's stream map, on two real Hazelcast members in this JVM (loopback,
 * TCP/IP join): one live session per name across origins, a name freed by its session's end or by
 * its origin's death, the view of the other origin's streams.
 */
class ClusterStreamsTest {
  private static final int PORT = 5821;

  private final String name = "unit-" + UUID.randomUUID();
  private Vertx vertxA;
  private Vertx vertxB;
  private ClusterStreams a;
  private ClusterStreams b;

  @BeforeEach
  void join() throws Exception {
    vertxA = node();
    vertxB = node();
    a = open(vertxA, "http://127.0.0.1:1001");
    b = open(vertxB, "http://127.0.0.1:1002");
    await().atMost(Duration.ofSeconds(20)).until(() -> a.members() == 2 && b.members() == 2);
  }

  private Vertx node() throws Exception {
    HeadwaterConfig.Cluster c =
        new HeadwaterConfig.Cluster(
            true,
            name,
            "127.0.0.1",
            PORT,
            0,
            List.of("127.0.0.1:" + PORT, "127.0.0.1:" + (PORT + 1)),
            "",
            3.0,
            2,
            100,
            30.0,
            30.0);
    return Vertx.builder()
        .with(new VertxOptions().setEventBusOptions(ClusterSetup.eventBus(c)))
        .withClusterManager(ClusterSetup.clusterManager(c))
        .buildClustered()
        .toCompletionStage()
        .toCompletableFuture()
        .get(60, TimeUnit.SECONDS);
  }

  private static ClusterStreams open(Vertx vertx, String http) throws Exception {
    HazelcastClusterManager m =
        (HazelcastClusterManager) ((io.vertx.core.internal.VertxInternal) vertx).clusterManager();
    ClusterStreams s = get(ClusterStreams.open(vertx, m));
    s.advertise(http);
    return s;
  }

  @AfterEach
  void leave() throws Exception {
    for (Vertx v : new Vertx[] {vertxA, vertxB}) {
      if (v != null) {
        v.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
    }
  }

  private static <T> T get(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  @Test
  void aLiveNameBelongsToOneOriginAtATime() throws Exception {
    Instant t = Instant.now();
    ClusterStreams.Claim first = get(a.claim("cam", "s1", t));
    assertTrue(first.claimed());
    ClusterStreams.Claim second = get(b.claim("cam", "s2", t));
    assertFalse(second.claimed(), "live on A");
    assertEquals("s1", second.holder().session());
    assertEquals(a.node(), second.holder().node());
    assertEquals("http://127.0.0.1:1001", second.holder().http());

    // B routes to A: by name and by session, in its view within a reload.
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> b.byName("cam") != null && b.bySession("s1") != null);
    assertEquals(a.node(), b.byName("cam").node());
    assertEquals(List.of("cam"), b.liveElsewhere().stream().map(StreamLocation::name).toList());
    assertTrue(a.liveElsewhere().isEmpty(), "A's own stream is not elsewhere for A");
  }

  @Test
  void anEndedSessionFreesItsNameButStaysReachable() throws Exception {
    assertTrue(get(a.claim("cam", "s1", Instant.now())).claimed());
    get(a.ended("cam", "s1"));
    StreamLocation ended = get(b.lookupSession("s1"));
    assertNotNull(ended, "the ended session's URLs still reach A");
    assertFalse(ended.live());

    assertTrue(get(b.claim("cam", "s2", Instant.now())).claimed(), "the name is free");
    assertEquals(b.node(), get(a.lookupName("cam")).node());
    assertEquals(a.node(), get(a.lookupSession("s1")).node(), "s1 is still A's");

    // A's forget of s1 leaves B's newer claim alone.
    get(a.forget("cam", "s1"));
    assertNull(get(b.lookupSession("s1")));
    assertEquals("s2", get(a.lookupName("cam")).session());
  }

  @Test
  void theStreamsOfAnOriginThatLeavesAreReleased() throws Exception {
    assertTrue(get(a.claim("cam", "s1", Instant.now())).claimed());
    a.close();
    vertxA.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    vertxA = null;
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> get(b.lookupName("cam")) == null && get(b.lookupSession("s1")) == null);
    assertTrue(get(b.claim("cam", "s2", Instant.now())).claimed());
  }
}
