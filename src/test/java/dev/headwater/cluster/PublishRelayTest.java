package dev.headwater.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headwater.bus.MediaSink;
import dev.headwater.bus.PublishReply;
import dev.headwater.bus.PublishRequest;
import dev.headwater.media.flv.FlvTag;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The relay between two origins on one (local) event bus: origin B's {@link PublishRelay} and
 * origin A's {@link RelayedPublisher}, with A's stream directory and owner played by a consumer and
 * a recording sink. The cluster form of the payloads is covered by {@link RelayWireTest} and
 * ClusterRelayIT.
 */
class PublishRelayTest {
  private static final long LIMIT = 1000;

  /** The relay's timeouts: the defaults, but for the tests of the timeouts themselves. */
  private long ackTimeoutMillis = 30_000;

  private long idleMillis = 30_000;

  /** 300 body bytes: 309 on the wire. */
  private static FlvTag tag(int i) {
    return new FlvTag(FlvTag.VIDEO, i * 33L, new byte[300]);
  }

  private Vertx vertx;
  private final Set<String> members = ConcurrentHashMap.newKeySet();
  private final OwnersSink ownersSink = new OwnersSink();
  private final AtomicReference<RelayedPublisher> relayed = new AtomicReference<>();
  private final AtomicReference<String> closedWith = new AtomicReference<>();
  private Context publisherLoop;
  private RelayAddresses.Answer answer = RelayAddresses.Answer.accepted();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    members.addAll(List.of("A", "B"));
    publisherLoop = vertx.getOrCreateContext();
    // Origin A's directory: its owner takes the publisher (or refuses it, as told).
    vertx
        .eventBus()
        .<JsonObject>consumer(
            RelayAddresses.originPublish("A"),
            m -> {
              if (!answer.isAccepted()) {
                m.reply(answer.toJson());
                return;
              }
              RelayedPublisher r =
                  new RelayedPublisher(
                      vertx, members("A"), RelayAddresses.Offer.fromJson(m.body()), idleMillis);
              relayed.set(r);
              r.attach(ownersSink).onSuccess(v -> m.reply(answer.toJson()));
            })
        .completion()
        .toCompletionStage()
        .toCompletableFuture()
        .get(5, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  private ClusterMembers members(String node) {
    return new ClusterMembers() {
      @Override
      public String node() {
        return node;
      }

      @Override
      public boolean isMember(String n) {
        return members.contains(n);
      }
    };
  }

  /** B offers a publisher of "s", whose live session A owns. */
  private PublishReply open() throws Exception {
    StreamLocation owner = new StreamLocation("s", "sess", "A", "http://a", true, Instant.EPOCH);
    PublishRequest request = new PublishRequest("s", "10.0.0.9:5000", closedWith::set);
    return onPublisherLoop(
        () -> PublishRelay.open(vertx, members("B"), owner, request, LIMIT, ackTimeoutMillis));
  }

  private PublishReply onPublisherLoop(Supplier<Future<PublishReply>> f) throws Exception {
    CompletableFuture<PublishReply> out = new CompletableFuture<>();
    publisherLoop.runOnContext(
        v -> f.get().onComplete(ar -> out.complete(ar.succeeded() ? ar.result() : null)));
    return out.get(10, TimeUnit.SECONDS);
  }

  /** Runs {@code r} on the publisher's event loop, as the RTMP connection calls its sink. */
  private <T> T onLoop(Supplier<T> r) throws Exception {
    CompletableFuture<T> out = new CompletableFuture<>();
    publisherLoop.runOnContext(v -> out.complete(r.get()));
    return out.get(5, TimeUnit.SECONDS);
  }

  @Test
  void relaysMetadataAndTagsInOrderToTheOwnersSink() throws Exception {
    MediaSink relay = open().sink();
    onLoop(
        () -> {
          relay.metadata(Map.of("width", 640.0, "encoder", "x"));
          for (int i = 0; i < 3; i++) {
            relay.write(tag(i));
          }
          return null;
        });
    await().atMost(Duration.ofSeconds(5)).until(() -> ownersSink.tags.size() == 3);
    assertEquals(List.of(tag(0), tag(1), tag(2)), ownersSink.tags);
    assertEquals(Map.of("width", 640.0, "encoder", "x"), ownersSink.metadata.get());
  }

  @Test
  void pausesThePublisherWhileTheOwnersSinkIsFullAndResumesWhenItDrains() throws Exception {
    MediaSink relay = open().sink();
    AtomicBoolean drained = new AtomicBoolean();
    AtomicReference<Thread> drainThread = new AtomicReference<>();
    Thread loopThread = onLoop(Thread::currentThread);
    onLoop(
        () -> {
          relay.drainHandler(
              () -> {
                drainThread.set(Thread.currentThread());
                drained.set(true);
              });
          return null;
        });
    ownersSink.full = true;
    // 3 tags (927 bytes) fit under the limit unacknowledged; the 4th (1236) fills it.
    for (int i = 0; i < 3; i++) {
      int n = i;
      assertFalse(onLoop(() -> write(relay, tag(n))), "tag " + n);
    }
    assertTrue(onLoop(() -> write(relay, tag(3))), "full once 1236 bytes are unacknowledged");
    await().atMost(Duration.ofSeconds(5)).until(() -> ownersSink.tags.size() == 4);
    assertTrue(onLoop(relay::writeQueueFull), "the owner held every acknowledgement");
    assertFalse(drained.get());

    ownersSink.drain();

    await().atMost(Duration.ofSeconds(5)).until(drained::get);
    assertEquals(loopThread, drainThread.get(), "the drain runs on the publisher's event loop");
    assertFalse(onLoop(relay::writeQueueFull));
  }

  private static boolean write(MediaSink sink, FlvTag tag) {
    sink.write(tag);
    return sink.writeQueueFull();
  }

  @Test
  void acknowledgementsFlowWhileTheOwnersSinkHasRoom() throws Exception {
    MediaSink relay = open().sink();
    for (int i = 0; i < 20; i++) {
      int n = i;
      onLoop(() -> write(relay, tag(n)));
      // Each tag is acknowledged before the next: the unacknowledged bytes never add up.
      await()
          .pollInterval(Duration.ofMillis(5))
          .atMost(Duration.ofSeconds(5))
          .until(() -> ownersSink.tags.size() == n + 1 && !onLoop(relay::writeQueueFull));
    }
  }

  @Test
  void thePublisherLeavingEndsTheOwnersSink() throws Exception {
    MediaSink relay = open().sink();
    onLoop(
        () -> {
          relay.write(tag(0));
          relay.end("publisher unpublished");
          relay.write(tag(1));
          return null;
        });
    await().atMost(Duration.ofSeconds(5)).until(() -> ownersSink.ended.get() != null);
    assertTrue(ownersSink.ended.get().startsWith("publisher unpublished"), ownersSink.ended.get());
    assertEquals(List.of(tag(0)), ownersSink.tags, "nothing after the end");
    assertNull(closedWith.get(), "the publisher closed its own connection");
  }

  @Test
  void theOwnerClosingThePublisherClosesItsConnectionOnTheRelayingOrigin() throws Exception {
    MediaSink relay = open().sink();
    relayed.get().close("taken over by a new publisher of 's'");
    await().atMost(Duration.ofSeconds(5)).until(() -> closedWith.get() != null);
    assertEquals("taken over by a new publisher of 's'", closedWith.get());
    onLoop(
        () -> {
          relay.write(tag(0));
          return null;
        });
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(1))
        .until(() -> ownersSink.tags.isEmpty());
  }

  @Test
  void anOwnerThatLeavesTheClusterClosesThePublisher() throws Exception {
    open();
    members.remove("A");
    await().atMost(Duration.ofSeconds(5)).until(() -> closedWith.get() != null);
    assertTrue(closedWith.get().contains("gone"), closedWith.get());
  }

  @Test
  void aRelayingOriginThatLeavesTheClusterEndsTheOwnersSink() throws Exception {
    open();
    members.remove("B");
    await().atMost(Duration.ofSeconds(5)).until(() -> ownersSink.ended.get() != null);
    assertTrue(ownersSink.ended.get().contains("B is gone"), ownersSink.ended.get());
  }

  @Test
  void anAcknowledgementHeldPastTheTimeoutClosesThePublisher() throws Exception {
    ackTimeoutMillis = 1000;
    MediaSink relay = open().sink();
    ownersSink.full = true;
    long t0 = System.nanoTime();
    onLoop(() -> write(relay, tag(0)));
    await().atMost(Duration.ofSeconds(5)).until(() -> closedWith.get() != null);
    long waited = (System.nanoTime() - t0) / 1_000_000;
    assertEquals("the origin that owns the stream does not answer", closedWith.get());
    assertTrue(waited >= 900, "closed after the timeout, not before: " + waited + " ms");
  }

  @Test
  void aRelayThatSendsNothingEndsOnTheOwnerAndClosesThePublisher() throws Exception {
    idleMillis = 1000;
    long t0 = System.nanoTime();
    open();
    await().atMost(Duration.ofSeconds(5)).until(() -> ownersSink.ended.get() != null);
    long waited = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(
        ownersSink.ended.get().startsWith("nothing from origin B for 1000 ms"),
        ownersSink.ended.get());
    assertTrue(waited >= 900, "ended after the idle time, not before: " + waited + " ms");
    await().atMost(Duration.ofSeconds(5)).until(() -> closedWith.get() != null);
  }

  @Test
  void theOwnersRefusalIsThePublishersRefusal() throws Exception {
    answer =
        new RelayAddresses.Answer(PublishReply.BAD_NAME, "stream 's' is already being published");
    PublishReply reply = open();
    assertFalse(reply.isAccepted());
    assertEquals(PublishReply.BAD_NAME, reply.refusalCode());
    assertEquals("stream 's' is already being published", reply.reason());
  }

  @Test
  void anOwnerThatDoesNotAnswerRefusesThePublisher() throws Exception {
    members.add("Z");
    StreamLocation owner = new StreamLocation("s", "sess", "Z", "http://z", true, Instant.EPOCH);
    PublishRequest request = new PublishRequest("s", "10.0.0.9:5000", closedWith::set);
    PublishReply reply =
        onPublisherLoop(
            () -> PublishRelay.open(vertx, members("B"), owner, request, LIMIT, ackTimeoutMillis));
    assertFalse(reply.isAccepted());
    assertEquals(PublishReply.DENIED, reply.refusalCode());
    assertTrue(reply.reason().contains("did not answer"), reply.reason());
  }

  /** The owner's sink as the stream owner's PublisherSink behaves: full until drained. */
  static final class OwnersSink implements MediaSink {
    final List<FlvTag> tags = new CopyOnWriteArrayList<>();
    final AtomicReference<Map<String, Object>> metadata = new AtomicReference<>();
    final AtomicReference<String> ended = new AtomicReference<>();
    volatile boolean full;
    private volatile Runnable onDrain;
    private volatile Context drainContext;

    @Override
    public void metadata(Map<String, Object> values) {
      metadata.set(values);
    }

    @Override
    public void write(FlvTag tag) {
      tags.add(tag);
    }

    @Override
    public boolean writeQueueFull() {
      return full;
    }

    @Override
    public void drainHandler(Runnable onDrain) {
      this.drainContext = Vertx.currentContext();
      this.onDrain = onDrain;
    }

    void drain() {
      full = false;
      drainContext.runOnContext(v -> onDrain.run());
    }

    @Override
    public void end(String reason) {
      ended.set(reason);
    }
  }
}
