package dev.headwater.cluster;

import dev.headwater.bus.MediaSink;
import dev.headwater.bus.PublisherConnection;
import dev.headwater.media.flv.FlvTag;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The owner's side of a publisher connected to another origin ({@link PublishRelay} there): the
 * connection the stream owner sees, and the consumer that feeds the relayed media into the sink the
 * owner handed out, exactly as a publisher connected here would.
 *
 * <p>Backpressure: a tag's acknowledgement (the reply to its request) is held while the owner's
 * sink is full and sent when it drains, so the relaying origin pauses its publisher's socket. The
 * held acknowledgements are bounded by the relaying origin's {@code rtmp.maxQueuedBytes} of
 * unacknowledged tags.
 *
 * <p>Ends, each logged once: the publisher left the relaying origin (the owner's sink ends:
 * reconnect grace); the owner closes the publisher (the relaying origin is told to close the
 * connection); the relaying origin leaves the cluster or goes quiet (the sink ends).
 *
 * <p>Everything runs on the context that created it (the stream directory's); {@link #close} is
 * carried there.
 */
public final class RelayedPublisher implements PublisherConnection {
  private static final Logger LOG = LoggerFactory.getLogger(RelayedPublisher.class);

  private final Vertx vertx;
  private final Context context;
  private final ClusterMembers cluster;
  private final RelayAddresses.Offer offer;

  /**
   * A relay that has sent nothing for this long while not held back ends ({@code
   * cluster.relayIdleSeconds}): a relaying origin that gave up on the offer's answer, or lost its
   * publisher without telling. A live publisher sends audio many times a second.
   */
  private final long idleMillis;

  private final List<Message<Object>> held = new ArrayList<>();
  private MediaSink sink;
  private MessageConsumer<Object> consumer;
  private long timer = -1;
  private long lastMessageMillis;
  private boolean full;
  private boolean finished;

  public RelayedPublisher(
      Vertx vertx, ClusterMembers cluster, RelayAddresses.Offer offer, long idleMillis) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.cluster = cluster;
    this.offer = offer;
    this.idleMillis = idleMillis;
  }

  /**
   * The address to show in the owner's logs: the publisher's, and the origin it is connected to.
   */
  public static String remoteAddress(RelayAddresses.Offer offer) {
    return offer.remoteAddress() + " via origin " + offer.origin();
  }

  /**
   * Starts feeding {@code sink}, the owner's answer to the offer; completes once the relay's media
   * address is registered in the cluster, so the accepting answer may go back.
   */
  public Future<Void> attach(MediaSink sink) {
    if (finished) {
      return Future.failedFuture("closed before it started");
    }
    this.sink = sink;
    lastMessageMillis = System.currentTimeMillis();
    sink.drainHandler(this::onDrain);
    consumer = vertx.eventBus().consumer(RelayAddresses.relayMedia(offer.relay()), this::onMessage);
    timer = vertx.setPeriodic(PublishRelay.MEMBER_CHECK_MILLIS, id -> checkOrigin());
    return consumer.completion();
  }

  private void onMessage(Message<Object> m) {
    if (finished) {
      return;
    }
    lastMessageMillis = System.currentTimeMillis();
    String kind = m.headers().get(RelayAddresses.KIND);
    if (RelayAddresses.TAG.equals(kind)) {
      FlvTag tag = m.body() instanceof Buffer b ? RelayWire.decodeTag(b) : null;
      if (tag == null) {
        closeBoth("the relaying origin sent a malformed tag");
        return;
      }
      sink.write(tag);
      if (full || sink.writeQueueFull()) {
        full = true;
        held.add(m);
      } else {
        m.reply(null);
      }
    } else if (RelayAddresses.METADATA.equals(kind)) {
      if (m.body() instanceof JsonObject o) {
        sink.metadata(RelayWire.decodeMetadata(o));
      }
    } else if (RelayAddresses.END.equals(kind)) {
      String reason = m.body() instanceof String s ? s : "left";
      if (finish("the publisher left origin " + offer.origin() + ": " + reason)) {
        sink.end(reason + " (on origin " + offer.origin() + ")");
      }
    }
  }

  /** The owner's sink has room again: the held acknowledgements go, and the relay resumes. */
  private void onDrain() {
    full = false;
    for (Message<Object> m : held) {
      m.reply(null);
    }
    held.clear();
  }

  private void checkOrigin() {
    if (!cluster.isMember(offer.origin())) {
      if (finish("origin " + offer.origin() + " left the cluster")) {
        sink.end("the relaying origin " + offer.origin() + " is gone");
      }
    } else if (!full && System.currentTimeMillis() - lastMessageMillis > idleMillis) {
      closeBoth("nothing from origin " + offer.origin() + " for " + idleMillis + " ms");
    }
  }

  /** The relay cannot go on: the owner's sink ends and the relaying origin closes the publisher. */
  private void closeBoth(String why) {
    if (finish(why)) {
      sink.end(why);
      tellOrigin(why);
    }
  }

  /** The stream owner closes the publisher (taken over, stream ended); from any thread. */
  @Override
  public void close(String reason) {
    context.runOnContext(
        v -> {
          if (finish("closed by this origin: " + reason)) {
            tellOrigin(reason);
          }
        });
  }

  private void tellOrigin(String reason) {
    vertx.eventBus().send(RelayAddresses.relayControl(offer.relay()), reason);
  }

  /** Stops relaying; true for the first call, which logs why. */
  private boolean finish(String why) {
    if (finished) {
      return false;
    }
    finished = true;
    // The relaying origin's waiting tags fail at once rather than at their timeout.
    for (Message<Object> m : held) {
      m.fail(0, why);
    }
    held.clear();
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    if (consumer != null) {
      consumer.unregister();
    }
    LOG.info(
        "Stream {}: relayed publisher {} from origin {} to origin {} ended: {}",
        offer.name(),
        offer.remoteAddress(),
        offer.origin(),
        cluster.node(),
        why);
    return true;
  }
}
