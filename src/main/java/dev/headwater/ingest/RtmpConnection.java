package dev.headwater.ingest;

import dev.headwater.media.rtmp.RtmpEvent;
import dev.headwater.media.rtmp.RtmpLimits;
import dev.headwater.media.rtmp.RtmpPublishSession;
import dev.headwater.media.rtmp.SessionOutput;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One RTMP connection: socket bytes into the {@link RtmpPublishSession} state machine, its replies back
 * to the socket, its media into the {@link FlvSink}. Malformed input closes this connection only.
 * Backpressure: while the sink's queue is full the socket is paused, so TCP slows the publisher.
 */
final class RtmpConnection {
  private static final Logger LOG = LoggerFactory.getLogger(RtmpConnection.class);

  private final NetSocket socket;
  private final PublishHandler publishHandler;
  private final RtmpPublishSession session;
  private final String remote;
  private FlvSink sink;
  private boolean closed;
  private boolean ending;

  RtmpConnection(NetSocket socket, RtmpLimits limits, PublishHandler publishHandler) {
    this.socket = socket;
    this.publishHandler = publishHandler;
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
    PublishRequest request = new PublishRequest(p.app(), p.streamName(), key, remote);
    publishHandler.publish(request).onComplete(ar -> {
      if (closed) {
        if (ar.succeeded()) {
          ar.result().end("publisher disconnected before publishing");
        }
        return;
      }
      if (ar.succeeded()) {
        sink = ar.result();
        sink.drainHandler(socket::resume);
        sink.ended().onComplete(v -> {
          if (!closed) {
            LOG.info("RTMP {}: stream '{}' ended by the server; closing the connection", remote, p.streamName());
            close();
          }
        });
        LOG.info("RTMP {}: publishing '{}'", remote, p.streamName());
        handle(session.acceptPublish());
      } else {
        String code = ar.cause() instanceof PublishRefused r ? r.code() : PublishAuthorizer.DENIED;
        LOG.warn("RTMP {}: publish of '{}' refused: {}", remote, p.streamName(), ar.cause().getMessage());
        handle(session.rejectPublish(code, ar.cause().getMessage()));
        // Let the status reach the publisher before the connection goes.
        socket.end();
        closed = true;
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
