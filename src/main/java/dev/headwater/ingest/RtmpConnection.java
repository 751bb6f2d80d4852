package dev.headwater.ingest;

import dev.headwater.bus.Addresses;
import dev.headwater.bus.MediaSink;
import dev.headwater.bus.PublishReply;
import dev.headwater.bus.PublishRequest;
import dev.headwater.media.rtmp.RtmpEvent;
import dev.headwater.media.rtmp.RtmpPublishSession;
import dev.headwater.media.rtmp.SessionOutput;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.net.NetSocket;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One RTMP connection: socket bytes into the {@link RtmpPublishSession} state machine, its replies
 * back to the socket, its media into the {@link MediaSink} the stream directory handed over.
 * Malformed input closes this connection only. Backpressure: while the sink is full the socket is
 * paused, so TCP slows the publisher. Everything here runs on the connection's event loop.
 *
 * <p>Deadlines, one per phase ({@link Phase}): each phase must end, by protocol progress, before
 * its deadline, so a client that trickles bytes gains nothing. A publishing connection must keep
 * sending audio or video; the time the socket is paused by our own backpressure does not count.
 */
final class RtmpConnection {
  private static final Logger LOG = LoggerFactory.getLogger(RtmpConnection.class);

  /** What the connection waits for; the tag names the phase in the timeout counter. */
  enum Phase {
    HANDSHAKE("handshake"),
    PUBLISH("publish"),
    FIRST_MEDIA("first_media"),
    MEDIA("media_idle");

    final String tag;

    Phase(String tag) {
      this.tag = tag;
    }
  }

  /** How long the stream directory may take to accept a publish (it deploys the stream's owner). */
  private static final long PUBLISH_REPLY_MILLIS = 10_000;

  private final Vertx vertx;
  private final Context context;
  private final NetSocket socket;
  private final ConnectionPolicy policy;
  private final RtmpPublishSession session;
  private final String remote;
  private final String address;
  private MediaSink sink;
  private boolean closed;
  private boolean ending;
  private boolean released;

  private Phase phase = Phase.HANDSHAKE;
  private long deadlineTimer = -1;
  private long lastMediaNanos;
  private boolean pausedByUs;

  /**
   * @param address the client's address, whose slot in {@link ConnectionLimiter} this connection
   *     holds and returns when it closes
   */
  RtmpConnection(Vertx vertx, NetSocket socket, ConnectionPolicy policy, String address) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.socket = socket;
    this.policy = policy;
    this.address = address;
    byte[] random = new byte[1528];
    ThreadLocalRandom.current().nextBytes(random);
    this.session = new RtmpPublishSession(policy.limits(), random, policy.anonymousBudget());
    this.remote = String.valueOf(socket.remoteAddress());
  }

  void start() {
    socket.handler(this::onBytes);
    socket.closeHandler(v -> onClosed());
    socket.exceptionHandler(e -> LOG.debug("RTMP {}: {}", remote, e.getMessage()));
    policy.anonymous().add(this);
    arm(policy.handshakeMillis());
  }

  /** Closed to make room at the global cap (it is the oldest anonymous connection). */
  void evict() {
    LOG.debug("RTMP {}: closing the oldest anonymous connection to make room", remote);
    close();
  }

  private void onBytes(Buffer buf) {
    if (closed) {
      return;
    }
    byte[] bytes = buf.getBytes();
    handle(session.onBytes(bytes, 0, bytes.length));
    if (phase == Phase.HANDSHAKE
        && !closed
        && session.state() != RtmpPublishSession.State.HANDSHAKE) {
      phase = Phase.PUBLISH;
      arm(policy.publishMillis());
    }
  }

  // ---- deadlines ----

  private void arm(long millis) {
    if (deadlineTimer >= 0) {
      vertx.cancelTimer(deadlineTimer);
    }
    deadlineTimer =
        vertx.setTimer(
            Math.max(1, millis),
            id -> {
              deadlineTimer = -1;
              onDeadline();
            });
  }

  private void onDeadline() {
    if (closed) {
      return;
    }
    if (phase == Phase.MEDIA) {
      // Checked lazily: media only stamps the time, and the timer re-arms for what is left.
      long silentMillis = pausedByUs ? 0 : (System.nanoTime() - lastMediaNanos) / 1_000_000;
      long left = policy.mediaIdleMillis() - silentMillis;
      if (left > 0) {
        arm(left);
        return;
      }
    }
    policy.meters().timedOut(phase.tag);
    if (sink != null) {
      // A publisher that stops sending: the operator wants to know which stream and why.
      LOG.warn("RTMP {}: closing: no {} within its deadline", remote, describe(phase));
    } else {
      // Anonymous connections may come by thousands; they are counted and summarized instead.
      LOG.debug("RTMP {}: closing: no {} within its deadline", remote, describe(phase));
    }
    close();
  }

  private static String describe(Phase p) {
    return switch (p) {
      case HANDSHAKE -> "complete handshake";
      case PUBLISH -> "accepted publish";
      case FIRST_MEDIA -> "audio or video after publishing";
      case MEDIA -> "audio or video (publisher went silent)";
    };
  }

  private void onMedia() {
    lastMediaNanos = System.nanoTime();
    if (phase == Phase.FIRST_MEDIA) {
      phase = Phase.MEDIA;
      arm(policy.mediaIdleMillis());
    }
  }

  private void handle(SessionOutput out) {
    for (byte[] b : out.toSend()) {
      socket.write(Buffer.buffer(b));
    }
    for (RtmpEvent e : out.events()) {
      if (closed) {
        return;
      }
      if (e instanceof RtmpEvent.PublishRequested p) {
        onPublish(p);
      } else if (e instanceof RtmpEvent.Metadata m) {
        if (sink != null) {
          sink.metadata(m.values());
        }
      } else if (e instanceof RtmpEvent.Media m) {
        if (sink != null) {
          onMedia();
          sink.write(m.tag());
          if (sink.writeQueueFull()) {
            pausedByUs = true;
            socket.pause();
          }
        }
      } else if (e instanceof RtmpEvent.Unpublished) {
        endSink("publisher unpublished");
      } else if (e instanceof RtmpEvent.Failed f) {
        policy.meters().protocolError();
        if (sink != null) {
          LOG.warn("RTMP {}: protocol error, closing: {}", remote, LogSafe.quote(f.reason()));
        } else {
          LOG.debug("RTMP {}: protocol error, closing: {}", remote, LogSafe.quote(f.reason()));
        }
        close();
      }
    }
  }

  private void onPublish(RtmpEvent.PublishRequested p) {
    String key = PublishAuthorizer.keyFromQuery(p.query());
    PublishRefused refused =
        policy.authorizer().check(new PublishAttempt(p.app(), p.streamName(), key, remote));
    if (refused != null) {
      refuse(p.streamName(), refused.code(), refused.getMessage());
      return;
    }
    // The key is right: from here the publisher's messages may be as large as media needs, and
    // the connection is no longer the first to go when the listener is full.
    session.authorize();
    policy.anonymous().remove(this);
    PublishRequest request = new PublishRequest(p.streamName(), remote, this::closeFromServer);
    vertx
        .eventBus()
        .<PublishReply>request(
            Addresses.STREAM_PUBLISH,
            request,
            new DeliveryOptions().setSendTimeout(PUBLISH_REPLY_MILLIS).setLocalOnly(true))
        .onComplete(
            ar -> {
              PublishReply reply =
                  ar.succeeded()
                      ? ar.result().body()
                      : PublishReply.refused(
                          PublishReply.DENIED,
                          "the server could not take the stream: " + ar.cause().getMessage());
              if (closed) {
                if (reply.isAccepted()) {
                  reply.sink().end("publisher disconnected before publishing");
                }
                return;
              }
              if (!reply.isAccepted()) {
                refuse(p.streamName(), reply.refusalCode(), reply.reason());
                return;
              }
              sink = reply.sink();
              sink.drainHandler(
                  () -> {
                    // The silence deadline restarts once we read again.
                    pausedByUs = false;
                    lastMediaNanos = System.nanoTime();
                    socket.resume();
                  });
              LOG.info("RTMP {}: publishing '{}'", remote, p.streamName());
              phase = Phase.FIRST_MEDIA;
              arm(policy.firstMediaMillis());
              handle(session.acceptPublish());
            });
  }

  private void refuse(String name, String code, String reason) {
    LOG.warn("RTMP {}: publish of {} refused: {}", remote, LogSafe.quote(name), reason);
    handle(session.rejectPublish(code, reason));
    // Let the status reach the publisher before the connection goes.
    socket.end();
    closed = true;
  }

  /**
   * The stream's owner closes this publisher (stream ended, taken over); called from any thread.
   */
  private void closeFromServer(String reason) {
    context.runOnContext(
        v -> {
          if (!closed) {
            LOG.info("RTMP {}: closing the connection: {}", remote, reason);
            ending = true;
            close();
          }
        });
  }

  private void endSink(String reason) {
    if (sink != null && !ending) {
      ending = true;
      sink.end(reason);
    }
  }

  private void close() {
    if (!closed) {
      closed = true;
      socket.close();
    }
    endSink("connection closed");
    releaseResources();
  }

  private void onClosed() {
    closed = true;
    endSink("publisher disconnected");
    releaseResources();
  }

  /** Returns the connection's slot and its partial messages' bytes; once. */
  private void releaseResources() {
    if (deadlineTimer >= 0) {
      vertx.cancelTimer(deadlineTimer);
      deadlineTimer = -1;
    }
    session.dispose();
    policy.anonymous().remove(this);
    if (!released) {
      released = true;
      policy.limiter().release(address);
    }
  }
}
