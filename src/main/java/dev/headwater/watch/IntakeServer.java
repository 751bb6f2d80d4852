package dev.headwater.watch;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives one stream's fMP4 from FFmpeg: each rendition of each encoder run is a chunked POST to
 * {@code /intake/SESSION/RUN/RENDITION} on a loopback-only listener of its own. Created on the
 * stream owner's context, so every request handler runs there and the owner stays the only writer
 * of the stream's timelines.
 *
 * <p>Backpressure: chunks are cut as they arrive, without queueing, so a busy owner slows the
 * socket read and TCP pushes back on FFmpeg.
 */
public final class IntakeServer {
  private static final Logger LOG = LoggerFactory.getLogger(IntakeServer.class);

  private final StreamIntake intake;
  private final Runnable onChange;
  private final Runnable onChunk;
  private HttpServer server;
  private int openRequests;
  private Promise<Void> idle;

  /**
   * @param onChange runs after the intake changed a timeline: the owner publishes a snapshot
   * @param onChunk runs after chunks joined a segment a streaming response follows, when nothing
   *     else changed: the owner tells the streaming responses
   */
  public IntakeServer(StreamIntake intake, Runnable onChange, Runnable onChunk) {
    this.intake = intake;
    this.onChange = onChange;
    this.onChunk = onChunk;
  }

  /** Listens on 127.0.0.1 on a free port; call on the owner's context. */
  public Future<IntakeServer> listen(Vertx vertx) {
    server =
        vertx.createHttpServer(
            new HttpServerOptions().setHost("127.0.0.1").setPort(0).setIdleTimeout(60));
    server.requestHandler(this::handle);
    return server.listen().map(s -> this);
  }

  /** The URL prefix for encoder runs: append {@code RUN/RENDITION}. */
  public String baseUrl() {
    return "http://127.0.0.1:"
        + server.actualPort()
        + "/intake/"
        + intake.stream().sessionId()
        + "/";
  }

  /** Completes once no FFmpeg output is being received (at once if none is). */
  public Future<Void> idle() {
    if (openRequests == 0) {
      return Future.succeededFuture();
    }
    if (idle == null) {
      idle = Promise.promise();
    }
    return idle.future();
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void handle(HttpServerRequest req) {
    String[] p = req.path().split("/");
    // ["", "intake", session, run, rendition]
    int run = p.length == 5 ? parseRun(p[3]) : -1;
    if (req.method() != HttpMethod.POST
        || p.length != 5
        || !p[1].equals("intake")
        || !p[2].equals(intake.stream().sessionId())
        || run < 0) {
      req.response().setStatusCode(404).end();
      return;
    }
    RenditionIntake rendition = intake.ended() ? null : intake.rendition(p[4]);
    if (rendition == null || !rendition.beginRun(run)) {
      req.response().setStatusCode(rendition == null ? 404 : 409).end();
      return;
    }
    openRequests++;
    boolean[] done = {false};
    Runnable finished =
        () -> {
          if (!done[0]) {
            done[0] = true;
            requestDone(rendition, run);
          }
        };
    req.handler(
        chunk -> {
          if (rendition.run() == run && !intake.ended()) {
            boolean changed = rendition.push(chunk);
            boolean chunks = rendition.takeChunkSignal();
            if (changed) {
              onChange.run();
            } else if (chunks) {
              onChunk.run();
            }
          }
        });
    req.endHandler(
        v -> {
          req.response().setStatusCode(204).end();
          finished.run();
        });
    req.exceptionHandler(
        e -> {
          LOG.debug(
              "Intake {} {} run {} broke: {}", intake.stream().name(), p[4], run, e.getMessage());
          finished.run();
        });
  }

  private void requestDone(RenditionIntake rendition, int run) {
    openRequests--;
    if (rendition.run() == run && !intake.ended() && rendition.flush()) {
      onChange.run();
    }
    if (openRequests == 0 && idle != null) {
      Promise<Void> p = idle;
      idle = null;
      p.complete();
    }
  }

  private static int parseRun(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
