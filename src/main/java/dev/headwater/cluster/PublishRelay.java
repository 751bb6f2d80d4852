package dev.headwater.cluster;

import dev.headwater.bus.MediaSink;
import dev.headwater.bus.PublishReply;
import dev.headwater.bus.PublishRequest;
import dev.headwater.media.flv.FlvTag;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relaying side of a publisher that connected to this origin for a stream whose live session
 * another origin owns: the {@link MediaSink} handed to the RTMP connection, sending the publisher's
 * media to the owner ({@link RelayedPublisher} there). The session's timeline lives in the owner's
 * memory, so only the owner can continue it (issue 12: "a publisher that reconnects to another node
 * continues under the reconnect rules where it can").
 *
 * <p>Backpressure: every tag is a request, and the owner's empty reply acknowledges it once the
 * owner's own sink has taken it. While more than {@code rtmp.maxQueuedBytes} are unacknowledged
 * {@link #writeQueueFull()} is true and the RTMP connection pauses its socket; the drain handler
 * runs once they fall to half. So a relayed publisher costs the same bytes in flight as a local one
 * here, plus as much again held at the owner.
 *
 * <p>Ends, each logged once: the publisher leaves (the owner is told: its session goes to reconnect
 * grace); the owner closes it (taken over, stream ended); the owner stops answering or leaves the
 * cluster (the connection is closed, so the publisher reconnects and, once the owner's streams are
 * released, starts a new session).
 *
 * <p>Threads: the media calls, the acknowledgements and the drain run on the publisher's event
 * loop; the close from the owner and the membership check on the stream directory's context.
 */
public final class PublishRelay implements MediaSink {
  private static final Logger LOG = LoggerFactory.getLogger(PublishRelay.class);

  /**
   * How long the owner may take to answer an offer; within the ten seconds the RTMP connection
   * gives the stream directory.
   */
  private static final long OFFER_TIMEOUT_MILLIS = 5_000;

  /** How often the owner's membership is checked: how late a dead owner is noticed, at most. */
  static final long MEMBER_CHECK_MILLIS = 1_000;

  private final Vertx vertx;
  private final ClusterMembers cluster;
  private final StreamLocation owner;
  private final PublishRequest request;
  private final String relay;
  private final String media;
  private final long limit;

  /**
   * How long a tag may wait for its acknowledgement ({@code cluster.relayAckTimeoutSeconds}): an
   * owner whose FFmpeg is stalled this long, or that died without Hazelcast noticing yet, loses the
   * publisher (it reconnects).
   */
  private final long ackTimeoutMillis;

  private final AtomicBoolean finished = new AtomicBoolean();
  private volatile MessageConsumer<Object> control;
  private volatile long timer = -1;

  // The publisher's event loop only.
  private long unacked;
  private boolean waiting;
  private Runnable onDrain = () -> {};

  private PublishRelay(
      Vertx vertx,
      ClusterMembers cluster,
      StreamLocation owner,
      PublishRequest request,
      long maxQueuedBytes,
      long ackTimeoutMillis) {
    this.vertx = vertx;
    this.cluster = cluster;
    this.owner = owner;
    this.request = request;
    this.relay = UUID.randomUUID().toString();
    this.media = RelayAddresses.relayMedia(relay);
    this.limit = maxQueuedBytes;
    this.ackTimeoutMillis = ackTimeoutMillis;
  }

  /**
   * Offers {@code request}'s publisher to the origin that owns the live session {@code owner}: the
   * accepted reply carries a relay, the refused one the owner's reason.
   */
  public static Future<PublishReply> open(
      Vertx vertx,
      ClusterMembers cluster,
      StreamLocation owner,
      PublishRequest request,
      long maxQueuedBytes,
      long ackTimeoutMillis) {
    return new PublishRelay(vertx, cluster, owner, request, maxQueuedBytes, ackTimeoutMillis)
        .offer();
  }

  private Future<PublishReply> offer() {
    // Listen for the owner's close before it can accept: it may close at once.
    control =
        vertx
            .eventBus()
            .consumer(
                RelayAddresses.relayControl(relay),
                m -> {
                  String reason = m.body() instanceof String s ? s : "closed";
                  if (finish("closed by the owning origin: " + reason)) {
                    request.connection().close(reason);
                  }
                });
    RelayAddresses.Offer offer =
        new RelayAddresses.Offer(request.name(), request.remoteAddress(), cluster.node(), relay);
    return control
        .completion()
        .compose(
            v ->
                vertx
                    .eventBus()
                    .request(
                        RelayAddresses.originPublish(owner.node()),
                        offer.toJson(),
                        new DeliveryOptions().setSendTimeout(OFFER_TIMEOUT_MILLIS)))
        .map(m -> RelayAddresses.Answer.fromJson(m.body(), PublishReply.DENIED))
        .otherwise(
            e ->
                new RelayAddresses.Answer(
                    PublishReply.DENIED,
                    "the origin that owns stream "
                        + request.name()
                        + " ("
                        + owner.http()
                        + ") did not answer: "
                        + e.getMessage()))
        .map(
            answer -> {
              if (!answer.isAccepted()) {
                control.unregister();
                LOG.info(
                    "Stream {}: origin {} ({}) refused the publisher from {} relayed by origin {}: {}",
                    request.name(),
                    owner.node(),
                    owner.http(),
                    request.remoteAddress(),
                    cluster.node(),
                    answer.reason());
                return PublishReply.refused(answer.refusalCode(), answer.reason());
              }
              LOG.info(
                  "Stream {}: the publisher from {} is relayed from origin {} to origin {} ({}),"
                      + " which owns session {}",
                  request.name(),
                  request.remoteAddress(),
                  cluster.node(),
                  owner.node(),
                  owner.http(),
                  owner.session());
              timer = vertx.setPeriodic(MEMBER_CHECK_MILLIS, id -> checkOwner());
              if (finished.get()) {
                // The owner closed it while its answer was on the way.
                vertx.cancelTimer(timer);
              }
              return PublishReply.accepted(this);
            });
  }

  private void checkOwner() {
    if (!cluster.isMember(owner.node())
        && finish("the owning origin left the cluster; the publisher must reconnect")) {
      request.connection().close("the origin that owns the stream is gone");
    }
  }

  // ---- MediaSink, on the publisher's event loop ----

  @Override
  public void metadata(Map<String, Object> values) {
    if (!finished.get()) {
      vertx.eventBus().send(media, RelayWire.encodeMetadata(values), kind(RelayAddresses.METADATA));
    }
  }

  @Override
  public void write(FlvTag tag) {
    if (finished.get()) {
      return;
    }
    int size = RelayWire.wireSize(tag);
    unacked += size;
    vertx
        .eventBus()
        .request(
            media,
            RelayWire.encodeTag(tag),
            kind(RelayAddresses.TAG).setSendTimeout(ackTimeoutMillis))
        .onComplete(
            ar -> {
              if (ar.failed()) {
                if (finish("the owning origin did not acknowledge: " + describe(ar.cause()))) {
                  request.connection().close("the origin that owns the stream does not answer");
                }
                return;
              }
              unacked -= size;
              if (waiting && unacked <= limit / 2) {
                waiting = false;
                onDrain.run();
              }
            });
  }

  @Override
  public boolean writeQueueFull() {
    if (unacked >= limit) {
      waiting = true;
    }
    return waiting;
  }

  @Override
  public void drainHandler(Runnable onDrain) {
    this.onDrain = onDrain;
  }

  @Override
  public void end(String reason) {
    if (finish("the publisher left: " + reason)) {
      vertx.eventBus().send(media, reason, kind(RelayAddresses.END));
    }
  }

  /** Stops relaying; true for the first call, which logs why. */
  private boolean finish(String why) {
    if (!finished.compareAndSet(false, true)) {
      return false;
    }
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    if (control != null) {
      control.unregister();
    }
    LOG.info(
        "Stream {}: relay of the publisher from {} on origin {} to origin {} ({}) ended: {}",
        request.name(),
        request.remoteAddress(),
        cluster.node(),
        owner.node(),
        owner.http(),
        why);
    return true;
  }

  private static DeliveryOptions kind(String kind) {
    return new DeliveryOptions().addHeader(RelayAddresses.KIND, kind);
  }

  private static String describe(Throwable e) {
    return e instanceof ReplyException r ? r.failureType() + " " + r.getMessage() : e.toString();
  }
}
