package dev.headwater.watch;

import dev.headwater.bus.Addresses;
import dev.headwater.bus.StreamEvent;
import dev.headwater.bus.TimelineEvent;
import dev.headwater.config.HeadwaterConfig;
import dev.headwater.timeline.LiveStream;
import dev.headwater.timeline.StreamRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives every rendition's fMP4 from FFmpeg as a chunked POST on a loopback-only listener
 * ({@code /intake/SESSION/RUN/RENDITION}), cuts it into parts and segments and publishes timeline
 * snapshots. It is the single owner of all timelines: one verticle instance, one event loop.
 *
 * <p>Backpressure: chunks are parsed as they arrive on this event loop, without queueing, so a slow
 * watcher slows the socket read and TCP pushes back on FFmpeg.
 */
public final class SegmentWatcherVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(SegmentWatcherVerticle.class);
  /** How long to wait for FFmpeg's last bytes after the encoder reported the stream ended. */
  private static final long END_GRACE_MS = 2000;

  private final HeadwaterConfig config;
  private final StreamRegistry registry;
  private final Map<String, StreamIntake> intakes = new HashMap<>();
  private HttpServer server;

  public SegmentWatcherVerticle(HeadwaterConfig config, StreamRegistry registry) {
    this.config = config;
    this.registry = registry;
  }

  /** The loopback port FFmpeg posts to (valid after start). */
  public int port() {
    return server.actualPort();
  }

  @Override
  public Future<?> start() {
    vertx.eventBus().<StreamEvent>localConsumer(Addresses.STREAM_ENDED, m -> onStreamEnded(m.body()));
    server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0).setIdleTimeout(60));
    server.requestHandler(this::handle);
    return server.listen().onSuccess(s -> LOG.info("Segment watcher listening on 127.0.0.1:{}", s.actualPort()));
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void handle(HttpServerRequest req) {
    String[] p = req.path().split("/");
    // ["", "intake", session, run, rendition]
    if (req.method() != HttpMethod.POST || p.length != 5 || !p[1].equals("intake")) {
      req.response().setStatusCode(404).end();
      return;
    }
    LiveStream stream = registry.session(p[2]);
    int run;
    try {
      run = Integer.parseInt(p[3]);
    } catch (NumberFormatException e) {
      run = -1;
    }
    if (stream == null || run < 0) {
      req.response().setStatusCode(404).end();
      return;
    }
    StreamIntake intake = intakes.computeIfAbsent(stream.sessionId(), k -> new StreamIntake(stream, config.hls()));
    RenditionIntake rendition = intake.ended ? null : intake.rendition(p[4]);
    if (rendition == null || !rendition.beginRun(run)) {
      req.response().setStatusCode(rendition == null ? 404 : 409).end();
      return;
    }
    intake.openRequests++;
    int thisRun = run;
    req.handler(chunk -> {
      if (rendition.run() == thisRun && !intake.ended && rendition.push(chunk)) {
        publish(intake);
      }
    });
    req.endHandler(v -> {
      req.response().setStatusCode(204).end();
      requestDone(intake, rendition, thisRun);
    });
    req.exceptionHandler(e -> {
      LOG.debug("Intake {} {} run {} broke: {}", stream.name(), p[4], thisRun, e.getMessage());
      requestDone(intake, rendition, thisRun);
    });
  }

  private void requestDone(StreamIntake intake, RenditionIntake rendition, int run) {
    intake.openRequests--;
    if (rendition.run() == run && !intake.ended && rendition.flush()) {
      publish(intake);
    }
    if (intake.endRequested && intake.openRequests <= 0) {
      finish(intake);
    }
  }

  private void onStreamEnded(StreamEvent e) {
    StreamIntake intake = intakes.get(e.sessionId());
    LiveStream stream = registry.session(e.sessionId());
    if (intake == null) {
      if (stream != null) {
        // Ended before any media: still publish an ended (empty) snapshot, then forget it.
        intake = new StreamIntake(stream, config.hls());
        intakes.put(e.sessionId(), intake);
        finish(intake);
      }
      return;
    }
    intake.endRequested = true;
    if (intake.openRequests <= 0) {
      finish(intake);
    } else {
      StreamIntake i = intake;
      vertx.setTimer(END_GRACE_MS, id -> finish(i));
    }
  }

  private void finish(StreamIntake intake) {
    if (intake.ended) {
      return;
    }
    intake.endAll();
    publish(intake);
    long retention = Math.round(config.hls().endedStreamRetentionSeconds() * 1000);
    vertx.setTimer(Math.max(1, retention), id -> {
      intakes.remove(intake.stream.sessionId());
      registry.forget(intake.stream);
      intake.stream.meters().close();
    });
  }

  private void publish(StreamIntake intake) {
    intake.publish();
    vertx.eventBus().publish(Addresses.TIMELINE_UPDATED,
        new TimelineEvent(intake.stream.name(), intake.stream.sessionId(), System.nanoTime()));
  }
}
