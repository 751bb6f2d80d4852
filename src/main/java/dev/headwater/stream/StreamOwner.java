package dev.headwater.stream;

import dev.headwater.bus.Addresses;
import dev.headwater.bus.MediaSink;
import dev.headwater.bus.PublishRequest;
import dev.headwater.bus.TimelineEvent;
import dev.headwater.config.HeadwaterConfig;
import dev.headwater.encode.EncoderSupervisor;
import dev.headwater.encode.LadderPlan;
import dev.headwater.encode.ProcessLauncher;
import dev.headwater.encode.VertxScheduler;
import dev.headwater.media.flv.FlvTag;
import dev.headwater.record.Recorder;
import dev.headwater.record.RecordingTap;
import dev.headwater.timeline.LiveStream;
import dev.headwater.timeline.StreamRegistry;
import dev.headwater.timeline.StreamSnapshot;
import dev.headwater.watch.IntakeServer;
import dev.headwater.watch.StreamIntake;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one owner of a live stream session: a verticle of its own, so everything it holds lives on
 * one context. It owns the name claim (with the {@link StreamDirectory}), the publisher attached to
 * it, the {@link EncoderSupervisor}, the intake that cuts FFmpeg's output and the timelines, and it
 * is the only writer of the stream's state; HTTP verticles read the snapshots it publishes.
 *
 * <p>States: WAITING (deployed, no publisher yet) → LIVE (a publisher is attached) ⇄ GRACE (the
 * publisher left; the session waits {@code ingest.reconnectGraceSeconds} for it to come back,
 * playlists stay live) → ENDED (ENDLIST published, the name is free) → retention → undeployed by
 * the directory. A publisher that comes back in GRACE, or takes over a LIVE session whose publisher
 * has sent nothing for {@code ingest.takeoverAfterSeconds}, continues the same session: same URLs,
 * sequence numbers go on, and its first segment is a discontinuity (RFC 8216bis 6.2.1).
 */
public final class StreamOwner extends VerticleBase implements EncoderSupervisor.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(StreamOwner.class);

  /** How long to wait for FFmpeg's last output to arrive after the encoder stopped. */
  private static final long INTAKE_IDLE_MILLIS = 2000;

  enum State {
    WAITING,
    LIVE,
    GRACE,
    ENDED
  }

  /** A publish this owner cannot take. {@code ended}: the session is over, ask for a new one. */
  static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final boolean ended;

    Refused(String reason, boolean ended) {
      super(reason, null, false, false);
      this.ended = ended;
    }
  }

  private final HeadwaterConfig config;
  private final StreamRegistry registry;
  private final LiveStream stream;
  private final ProcessLauncher launcher;
  private final String ffmpeg;
  private final Recorder recorder;
  private final Promise<Void> ended = Promise.promise();
  private final Promise<Void> retained = Promise.promise();

  private State state = State.WAITING;
  private StreamIntake intake;

  /** Null when this stream is not recorded. */
  private RecordingTap tap;

  private IntakeServer intakeServer;
  private EncoderSupervisor supervisor;
  private PublisherSink publisher;
  private long lastMediaMillis;

  /** Some publisher of this session sent media; until then there is nothing to continue. */
  private boolean hadMedia;

  private long leftAtMillis;
  private long graceTimer = -1;
  private long retentionTimer = -1;
  private LadderPlan plan;

  StreamOwner(
      HeadwaterConfig config,
      StreamRegistry registry,
      LiveStream stream,
      ProcessLauncher launcher,
      String ffmpeg,
      Recorder recorder) {
    this.config = config;
    this.registry = registry;
    this.stream = stream;
    this.launcher = launcher;
    this.ffmpeg = ffmpeg;
    this.recorder = recorder;
  }

  LiveStream stream() {
    return stream;
  }

  /**
   * Completes when the stream has ended (ENDLIST published) and its name is free; on the owner's
   * context.
   */
  Future<Void> ended() {
    return ended.future();
  }

  /** Completes when the ended session's retention is over and the owner can be undeployed. */
  Future<Void> retained() {
    return retained.future();
  }

  @Override
  public Future<?> start() {
    intake = new StreamIntake(stream, config.hls());
    tap = recorder.open(stream.name(), stream.sessionId(), stream.startedAt());
    intakeServer = new IntakeServer(intake, this::publishSnapshot, this::signalChunks);
    return intakeServer
        .listen(vertx)
        .onSuccess(
            s ->
                supervisor =
                    new EncoderSupervisor(
                        config,
                        ffmpeg,
                        stream.name(),
                        s.baseUrl(),
                        launcher,
                        new VertxScheduler(vertx),
                        stream.meters(),
                        this));
  }

  @Override
  public Future<?> stop() {
    endStream("server shutting down");
    return ended
        .future()
        .eventually(
            () -> {
              forget();
              return intakeServer.close();
            });
  }

  /**
   * A publisher asks for this session's name. Runs on any thread; the decision is made on the
   * owner's context.
   */
  Future<MediaSink> offer(PublishRequest request) {
    Promise<MediaSink> result = Promise.promise();
    context.runOnContext(
        v -> {
          try {
            result.complete(accept(request));
          } catch (Refused e) {
            result.fail(e);
          }
        });
    return result.future();
  }

  private MediaSink accept(PublishRequest r) {
    long now = System.currentTimeMillis();
    switch (state) {
      case WAITING ->
          LOG.info(
              "Stream {}: publishing from {} (session {})",
              stream.name(),
              r.remoteAddress(),
              stream.sessionId());
      case GRACE -> {
        vertx.cancelTimer(graceTimer);
        LOG.info(
            "Stream {}: publisher reconnected from {} after {} ms; continuing session {}",
            stream.name(),
            r.remoteAddress(),
            now - leftAtMillis,
            stream.sessionId());
      }
      case LIVE -> {
        long silentMillis = now - lastMediaMillis;
        if (silentMillis < seconds(config.ingest().takeoverAfterSeconds())) {
          throw new Refused("stream '" + stream.name() + "' is already being published", false);
        }
        LOG.warn(
            "Stream {}: {} takes over from {}, which sent no media for {} ms",
            stream.name(),
            r.remoteAddress(),
            publisher.remoteAddress(),
            silentMillis);
        PublisherSink old = publisher;
        publisher = null;
        old.detach("taken over by a new publisher of '" + stream.name() + "'", true);
      }
      case ENDED -> throw new Refused("session ended", true);
    }
    PublisherSink sink =
        new PublisherSink(
            this, context, config.rtmp().maxQueuedBytes(), r.connection(), r.remoteAddress());
    publisher = sink;
    lastMediaMillis = now;
    state = State.LIVE;
    supervisor.publisherJoined(sink.budget());
    return sink;
  }

  // ---- the publisher's media, on this context ----

  void onMetadata(PublisherSink from, Map<String, Object> values) {
    if (from == publisher) {
      supervisor.metadata(values);
    }
  }

  void onTag(PublisherSink from, FlvTag tag) {
    if (from != publisher) {
      from.budget().release(tag.data().length);
      return;
    }
    lastMediaMillis = System.currentTimeMillis();
    hadMedia = true;
    stream.meters().ingestBytes(tag.data().length);
    supervisor.write(tag);
  }

  void onPublisherEnd(PublisherSink from, String reason) {
    if (from != publisher) {
      return;
    }
    from.detach(reason, false);
    publisher = null;
    supervisor.publisherLeft();
    double grace = config.ingest().reconnectGraceSeconds();
    if (grace <= 0) {
      endStream(reason);
      return;
    }
    if (!hadMedia) {
      // A publisher that never sent media leaves nothing to continue: it must not keep the name
      // and a publish slot through the grace period (rtmp.maxPublishers).
      endStream(reason + " (before any media)");
      return;
    }
    state = State.GRACE;
    leftAtMillis = System.currentTimeMillis();
    LOG.info(
        "Stream {}: publisher left ({}); waiting {} s for it to reconnect",
        stream.name(),
        reason,
        grace);
    graceTimer =
        vertx.setTimer(
            seconds(grace), id -> endStream(reason + "; no reconnect within " + grace + " s"));
  }

  // ---- EncoderSupervisor.Listener ----

  @Override
  public void planned(LadderPlan next) {
    if (plan != null && !plan.renditions().equals(next.renditions())) {
      LOG.info(
          "Stream {}: the new source changes the ladder to {}", stream.name(), next.renditions());
    }
    plan = next;
    intake.plan(next.renditions());
  }

  @Override
  public void anchored(int run, long epochMillis) {
    intake.anchor(run, epochMillis);
  }

  @Override
  public void failed(String reason) {
    endStream(reason);
  }

  // ---- the end ----

  /**
   * Ends the session: the publisher (if any) is closed, FFmpeg drains, its last output is cut,
   * every playlist gets EXT-X-ENDLIST, and the name is free. The session stays downloadable for
   * {@code hls.endedStreamRetentionSeconds} (RFC 8216bis 6.2.2: segments stay available after
   * removal).
   */
  private void endStream(String reason) {
    if (state == State.ENDED) {
      return;
    }
    state = State.ENDED;
    if (graceTimer >= 0) {
      vertx.cancelTimer(graceTimer);
    }
    if (publisher != null) {
      publisher.detach("stream ended: " + reason, true);
      publisher = null;
    }
    // Stop FFmpeg (it drains), then give its last bytes a moment to arrive, then close the
    // playlists.
    // A lingering intake connection must not hold ENDLIST back: the wait has a timeout.
    Uni.createFrom()
        .completionStage(
            () ->
                (supervisor == null ? Future.<Void>succeededFuture() : supervisor.stop())
                    .toCompletionStage())
        .chain(
            () ->
                Uni.createFrom()
                    .completionStage(() -> intakeServer.idle().toCompletionStage())
                    .ifNoItem()
                    .after(Duration.ofMillis(INTAKE_IDLE_MILLIS))
                    .recoverWithItem(() -> null))
        .emitOn(task -> context.runOnContext(v -> task.run()))
        .subscribe()
        .with(
            v -> closePlaylists(reason), e -> closePlaylists(reason + " (" + e.getMessage() + ")"));
  }

  private void closePlaylists(String reason) {
    intake.endAll();
    publishSnapshot();
    if (tap != null) {
      // Its last groups were queued by publishSnapshot: the recording gets its index.
      tap.end();
    }
    registry.release(stream);
    LOG.info("Stream {}: ended ({})", stream.name(), reason);
    ended.tryComplete();
    retentionTimer =
        vertx.setTimer(
            Math.max(1, seconds(config.hls().endedStreamRetentionSeconds())),
            id -> {
              retentionTimer = -1;
              forget();
              retained.tryComplete();
            });
  }

  private void forget() {
    if (retentionTimer >= 0) {
      vertx.cancelTimer(retentionTimer);
      retentionTimer = -1;
    }
    registry.forget(stream);
    stream.meters().close();
  }

  private void publishSnapshot() {
    StreamSnapshot snapshot = intake.publish();
    if (tap != null) {
      tap.observe(snapshot);
    }
    vertx
        .eventBus()
        .publish(
            Addresses.TIMELINE_UPDATED,
            new TimelineEvent(stream.name(), stream.sessionId(), System.nanoTime()),
            LOCAL_ONLY);
  }

  /** Chunks joined a segment some streaming response follows; the snapshot did not change. */
  private void signalChunks() {
    vertx
        .eventBus()
        .publish(
            Addresses.TIMELINE_CHUNK,
            new TimelineEvent(stream.name(), stream.sessionId(), System.nanoTime()),
            LOCAL_ONLY);
  }

  /**
   * Timeline events are for this process's HTTP verticles; in a cluster, without this, every
   * publish would also look the address up among the other origins' subscriptions.
   */
  private static final DeliveryOptions LOCAL_ONLY = new DeliveryOptions().setLocalOnly(true);

  private static long seconds(double s) {
    return Math.round(s * 1000);
  }
}
