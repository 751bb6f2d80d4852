package dev.headwater.ingest;

import dev.headwater.bus.Addresses;
import dev.headwater.bus.MediaSink;
import dev.headwater.bus.PublishReply;
import dev.headwater.bus.PublishRequest;
import dev.headwater.media.rtmp.RtmpEvent;
import dev.headwater.media.rtmp.RtmpLimits;
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
 */
final class RtmpConnection {
  private static final Logger LOG = LoggerFactory.getLogger(RtmpConnection.class);

  /** How long the stream directory may take to accept a publish (it deploys the stream's owner). */
  private static final long PUBLISH_REPLY_MILLIS = 10_000;

  private final Vertx vertx;
  private final Context context;
  private final NetSocket socket;
  private final PublishAuthorizer authorizer;
  private final RtmpPublishSession session;
  private final String remote;
  private MediaSink sink;
  private boolean closed;
  private boolean ending;

  RtmpConnection(Vertx vertx, NetSocket socket, RtmpLimits limits, PublishAuthorizer authorizer) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.socket = socket;
    this.authorizer = authorizer;
    byte[] random = new byte[1528];
    ThreadLocalRandom.current().nextBytes(random);
    this.session = new RtmpPublishSession(limits, random);
    this.remote = String.valueOf(socket.remoteAddress());
  }

  void start() {
    socket.handler(this::onBytes);
    socket.closeHandler(v -> onClosed());
    socket.exceptionHandler(e -> LOG.debug("RTMP {}: {}", remote, e.getMessage()));
  }

  private void onBytes(Buffer buf) {
    if (closed) {
      return;
    }
    byte[] bytes = buf.getBytes();
    handle(session.onBytes(bytes, 0, bytes.length));
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
          sink.write(m.tag());
          if (sink.writeQueueFull()) {
            socket.pause();
          }
        }
      } else if (e instanceof RtmpEvent.Unpublished) {
        endSink("publisher unpublished");
      } else if (e instanceof RtmpEvent.Failed f) {
        LOG.warn("RTMP {}: protocol error, closing: {}", remote, f.reason());
        close();
      }
    }
  }

  private void onPublish(RtmpEvent.PublishRequested p) {
    String key = PublishAuthorizer.keyFromQuery(p.query());
    PublishRefused refused =
        authorizer.check(new PublishAttempt(p.app(), p.streamName(), key, remote));
    if (refused != null) {
      refuse(p.streamName(), refused.code(), refused.getMessage());
      return;
    }
    PublishRequest request = new PublishRequest(p.streamName(), remote, this::closeFromServer);
    vertx
        .eventBus()
        .<PublishReply>request(
            Addresses.STREAM_PUBLISH,
            request,
            new DeliveryOptions().setSendTimeout(PUBLISH_REPLY_MILLIS))
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
              sink.drainHandler(socket::resume);
              LOG.info("RTMP {}: publishing '{}'", remote, p.streamName());
              handle(session.acceptPublish());
            });
  }

  private void refuse(String name, String code, String reason) {
    LOG.warn("RTMP {}: publish of '{}' refused: {}", remote, name, reason);
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
  }

  private void onClosed() {
    closed = true;
    endSink("publisher disconnected");
  }
}
