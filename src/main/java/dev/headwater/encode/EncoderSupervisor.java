package dev.headwater.encode;

import dev.headwater.bus.Addresses;
import dev.headwater.bus.EncoderEvent;
import dev.headwater.config.HeadwaterConfig;
import dev.headwater.ingest.FlvSink;
import dev.headwater.media.avc.AvcDecoderConfig;
import dev.headwater.media.avc.AvcResult;
import dev.headwater.media.avc.AvcSps;
import dev.headwater.media.flv.FlvAudio;
import dev.headwater.media.flv.FlvTag;
import dev.headwater.media.flv.FlvVideo;
import dev.headwater.media.flv.FlvWriter;
import dev.headwater.metrics.StreamMeters;
import dev.headwater.timeline.LiveStream;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the FFmpeg transcode of one live stream: it is the publisher's {@link FlvSink}.
 *
 * <p>States: PROBING (collect the sequence headers and learn the source's height and whether it has
 * audio) → RUNNING (a run of FFmpeg is fed) ⇄ RESTARTING (FFmpeg died or stalled; backoff) → STOPPING
 * (publisher left: FFmpeg's stdin is closed and it drains) → STOPPED. All state lives on the publisher's
 * event loop; FFmpeg's pipes are served by {@link EncoderRun}'s threads.
 *
 * <p>Each run starts at a keyframe with timestamps rebased to 0, so its media time 0 is a known
 * wall-clock instant (the run anchor) from which the timeline derives EXT-X-PROGRAM-DATE-TIME.
 * Supervision (restart with exponential backoff, a bounded number of times) is a Mutiny retry over a
 * Uni that fails whenever a run ends without being asked to.
 */
public final class EncoderSupervisor implements FlvSink {
  private static final Logger LOG = LoggerFactory.getLogger(EncoderSupervisor.class);
  /** Video seen without an audio sequence header after which the source is taken to have no audio. */
  private static final long AUDIO_PROBE_MS = 1000;

  enum State { PROBING, RUNNING, RESTARTING, STOPPING, STOPPED }

  private final Vertx vertx;
  private final Context context;
  private final HeadwaterConfig config;
  private final String ffmpeg;
  private final LiveStream stream;
  private final String intakeBase;
  private final ProcessReaper reaper;
  private final StreamMeters meters;
  private final long maxQueued;

  private State state = State.PROBING;
  private Map<String, Object> metadata = Map.of();
  private FlvTag avcHeader;
  private FlvTag aacHeader;
  private final List<FlvTag> probeBuffer = new ArrayList<>();
  private long probeBytes;
  private long firstTs = -1;
  private long firstWallMillis;
  private long firstVideoTs = -1;
  private LadderPlan plan;

  private EncoderRun run;
  private int runCount;
  private boolean waitingForKeyframe;
  private long tsBase;
  private volatile long lastOutputChangeNanos;
  private volatile long lastFedNanos;
  private volatile EncoderProgress lastProgress;
  private long timerId = -1;
  private Runnable drainHandler;
  private final Promise<Void> ended = Promise.promise();
  private String endReason = "";

  public EncoderSupervisor(
      Vertx vertx,
      Context context,
      HeadwaterConfig config,
      String ffmpeg,
      LiveStream stream,
      String intakeBase,
      ProcessReaper reaper,
      StreamMeters meters) {
    this.vertx = vertx;
    this.context = context;
    this.config = config;
    this.ffmpeg = ffmpeg;
    this.stream = stream;
    this.intakeBase = intakeBase;
    this.reaper = reaper;
    this.meters = meters;
    this.maxQueued = config.rtmp().maxQueuedBytes();
  }

  /** Completes when the stream has ended, whatever the cause; {@link #endReason()} says why. */
  @Override
  public Future<Void> ended() {
    return ended.future();
  }

  public String endReason() {
    return endReason;
  }

  public EncoderProgress lastProgress() {
    return lastProgress;
  }

  // ---- FlvSink, on the publisher's event loop ----

  @Override
  public void metadata(Map<String, Object> values) {
    metadata = values;
  }

  @Override
  public void write(FlvTag tag) {
    meters.ingestBytes(tag.data().length);
    if (firstTs < 0) {
      firstTs = tag.timestampMs();
      firstWallMillis = System.currentTimeMillis();
    }
    if (tag.tagType() == 9 && FlvVideo.isAvcSequenceHeader(tag.data())) {
      avcHeader = tag;
    } else if (tag.tagType() == 8 && FlvAudio.isAacSequenceHeader(tag.data())) {
      aacHeader = tag;
    }
    switch (state) {
      case PROBING -> probe(tag);
      case RUNNING -> feed(tag);
      case RESTARTING, STOPPING, STOPPED -> meters.droppedTag();
    }
  }

  @Override
  public boolean writeQueueFull() {
    if (state == State.PROBING) {
      return probeBytes >= maxQueued;
    }
    return run != null && run.queuedBytes() >= maxQueued;
  }

  @Override
  public void drainHandler(Runnable onDrain) {
    this.drainHandler = onDrain;
  }

  @Override
  public Future<Void> end(String reason) {
    context.runOnContext(v -> stop(reason));
    return ended.future();
  }

  // ---- probing ----

  private void probe(FlvTag tag) {
    if (tag.tagType() == 9 && tag.data().length > 0 && FlvVideo.codecId(tag.data()) != FlvVideo.CODEC_AVC) {
      LOG.warn("Stream {}: video codec id {} is not supported (Headwater needs H.264); ending the stream",
          stream.name(), FlvVideo.codecId(tag.data()));
      stop("unsupported video codec id " + FlvVideo.codecId(tag.data()) + " (H.264 required)");
      return;
    }
    if (probeStartedNanos == 0) {
      probeStartedNanos = System.nanoTime();
      vertx.setTimer(seconds(config.ffmpeg().startTimeoutSeconds()).toMillis(), id -> {
        if (state == State.PROBING && plan == null) {
          LOG.warn("Stream {}: no H.264 sequence header within {} s; ending the stream", stream.name(), config.ffmpeg().startTimeoutSeconds());
          stop("no H.264 video from the publisher");
        }
      });
    }
    if (tag.tagType() == 9 && !FlvVideo.isAvcSequenceHeader(tag.data()) && firstVideoTs < 0) {
      firstVideoTs = tag.timestampMs();
    }
    if (!isHeader(tag)) {
      probeBuffer.add(tag);
      probeBytes += tag.data().length;
      // Bounded: past the limit the oldest frames go; the first run starts at a later keyframe.
      while (probeBytes > maxQueued && !probeBuffer.isEmpty()) {
        probeBytes -= probeBuffer.remove(0).data().length;
        meters.droppedTag();
      }
    }
    if (avcHeader == null || plan != null) {
      // plan != null: FFmpeg is starting; frames wait in the probe buffer for the first run.
      return;
    }
    boolean audioKnown =
        aacHeader != null
            || (!metadata.isEmpty() && !metadata.containsKey("audiocodecid"))
            || (firstVideoTs >= 0 && tag.timestampMs() - firstVideoTs >= AUDIO_PROBE_MS);
    if (audioKnown) {
      int height = sourceHeight();
      plan = config.ffmpeg().passthrough()
          ? LadderPlan.passthrough(config, height, aacHeader != null, number(metadata.get("videodatarate")), number(metadata.get("framerate")))
          : LadderPlan.of(config, height, aacHeader != null);
      stream.setRenditions(plan.renditions());
      LOG.info(
          "Stream {}: source height {}, audio {}; encoding {} video rendition(s){}",
          stream.name(), height, aacHeader != null, plan.video().size(), plan.audio() ? " + audio" : "");
      supervise();
    }
  }

  private long probeStartedNanos;

  private static int number(Object o) {
    return o instanceof Number n ? (int) Math.round(n.doubleValue()) : 0;
  }

  private int sourceHeight() {
    if (AvcDecoderConfig.fromFlvVideoTag(avcHeader.data()) instanceof AvcResult.Ok<AvcDecoderConfig> config
        && config.value().parseSps() instanceof AvcResult.Ok<AvcSps> sps) {
      return sps.value().height();
    }
    Object h = metadata.get("height");
    return h instanceof Number n ? n.intValue() : 0;
  }

  private static boolean isHeader(FlvTag tag) {
    return (tag.tagType() == 9 && FlvVideo.isAvcSequenceHeader(tag.data()))
        || (tag.tagType() == 8 && FlvAudio.isAacSequenceHeader(tag.data()));
  }

  // ---- supervision ----

  private void supervise() {
    HeadwaterConfig.Ffmpeg f = config.ffmpeg();
    Uni<Void> oneRun =
        Uni.createFrom()
            .deferred(
                () -> {
                  if (stopRequested()) {
                    return Uni.createFrom().voidItem();
                  }
                  return Uni.createFrom()
                      .completionStage(this::startRunOnContext)
                      .onItem()
                      .transformToUni(
                          exitCode -> stopRequested()
                              ? Uni.createFrom().voidItem()
                              : Uni.createFrom().failure(new EncoderDied(exitCode)));
                });
    oneRun
        .onFailure(e -> !stopRequested())
        .invoke(e -> onRunFailed(e))
        .onFailure(e -> !stopRequested())
        .retry()
        .withBackOff(seconds(f.restartBackoffInitialSeconds()), seconds(f.restartBackoffMaxSeconds()))
        .atMost(f.maxRestarts())
        .subscribe()
        .with(
            ok -> context.runOnContext(v -> finish("publisher left")),
            err -> context.runOnContext(v -> finish(stopFlag
                ? endReason
                : "encoder gave up after " + f.maxRestarts() + " restarts: " + err.getMessage())));
  }

  private volatile boolean stopFlag;

  private boolean stopRequested() {
    return stopFlag;
  }

  private CompletionStage<Integer> startRunOnContext() {
    CompletableFuture<Integer> exit = new CompletableFuture<>();
    context.runOnContext(v -> {
      if (stopFlag) {
        exit.complete(0);
        return;
      }
      int number = runCount++;
      List<String> args = FfmpegCommand.build(ffmpeg, config, plan, intakeBase + number + "/");
      vertx.<EncoderRun>executeBlocking(
              () -> EncoderRun.start(number, args, stream.name(), this::onProgress, this::onDrained, maxQueued / 2))
          .onComplete(ar -> {
            if (ar.failed()) {
              exit.completeExceptionally(ar.cause());
              return;
            }
            beginRun(ar.result());
            ar.result().exit().whenComplete((code, err) -> context.runOnContext(x -> {
              onRunExit(ar.result(), code == null ? -1 : code);
              exit.complete(code == null ? -1 : code);
            }));
          });
    });
    return exit;
  }

  private void beginRun(EncoderRun r) {
    run = r;
    reaper.track(r.process());
    if (stopFlag) {
      r.closeInput();
      return;
    }
    state = State.RUNNING;
    waitingForKeyframe = true;
    lastOutputChangeNanos = System.nanoTime();
    lastFedNanos = 0;
    if (r.number > 0) {
      meters.encoderRestart();
    }
    LOG.info("Stream {}: FFmpeg run {} started (pid {})", stream.name(), r.number, r.pid());
    publish("STARTED", r.number, "pid " + r.pid());
    r.offer(FlvWriter.header(plan.audio(), true));
    r.offer(FlvWriter.tag(new FlvTag(9, 0, avcHeader.data())));
    if (plan.audio() && aacHeader != null) {
      r.offer(FlvWriter.tag(new FlvTag(8, 0, aacHeader.data())));
    }
    for (FlvTag t : probeBuffer) {
      feed(t);
    }
    probeBuffer.clear();
    probeBytes = 0;
    if (timerId < 0) {
      timerId = vertx.setPeriodic(500, id -> checkStall());
    }
  }

  private void feed(FlvTag tag) {
    if (run == null || isHeader(tag)) {
      return;
    }
    if (tag.tagType() != 8 && tag.tagType() != 9) {
      return;
    }
    if (waitingForKeyframe) {
      if (tag.tagType() != 9 || !FlvVideo.isKeyframe(tag.data())) {
        meters.droppedTag();
        return;
      }
      waitingForKeyframe = false;
      tsBase = tag.timestampMs();
      stream.setRunAnchor(run.number, firstWallMillis + (tsBase - firstTs));
    }
    long ts = tag.timestampMs() - tsBase;
    if (ts < 0 || (tag.tagType() == 8 && !plan.audio())) {
      return;
    }
    run.offer(FlvWriter.tag(new FlvTag(tag.tagType(), ts, tag.data())));
    lastFedNanos = System.nanoTime();
  }

  private void onProgress(EncoderProgress p) {
    EncoderProgress before = lastProgress;
    if (before == null || p.totalSize() != before.totalSize() || p.outTimeMicros() != before.outTimeMicros()) {
      lastOutputChangeNanos = System.nanoTime();
    }
    lastProgress = p;
    meters.progress(p);
  }

  private void onDrained() {
    context.runOnContext(v -> {
      Runnable h = drainHandler;
      if (h != null) {
        h.run();
      }
    });
  }

  /** A run that was fed recently but produced nothing for the stall timeout is killed (and restarted). */
  private void checkStall() {
    if (state != State.RUNNING || run == null) {
      return;
    }
    long now = System.nanoTime();
    double limit = lastProgress == null ? config.ffmpeg().startTimeoutSeconds() : config.ffmpeg().stallTimeoutSeconds();
    boolean fedRecently = lastFedNanos != 0 && now - lastFedNanos < seconds(limit).toNanos();
    if (fedRecently && now - lastOutputChangeNanos > seconds(limit).toNanos()) {
      LOG.warn("Stream {}: FFmpeg run {} stalled for {} s, killing it", stream.name(), run.number, limit);
      run.kill();
    }
  }

  private void onRunExit(EncoderRun r, int code) {
    if (run == r) {
      run = null;
    }
    if (reaper.shuttingDown()) {
      stopFlag = true;
      endReason = "server shutting down";
    }
    if (stopFlag) {
      LOG.info("Stream {}: FFmpeg run {} exited ({}) after the publisher left", stream.name(), r.number, code);
      publish("STOPPED", r.number, "exit " + code);
    } else {
      state = State.RESTARTING;
      LOG.warn("Stream {}: FFmpeg run {} exited with {} while the publisher is live:\n{}", stream.name(), r.number, code, r.stderrTail());
      publish("EXITED", r.number, "exit " + code);
    }
  }

  private void onRunFailed(Throwable e) {
    LOG.warn("Stream {}: encoder run failed ({}); restarting with backoff", stream.name(), e.getMessage());
    context.runOnContext(v -> publish("RESTARTING", runCount, e.getMessage()));
  }

  private void stop(String reason) {
    if (stopFlag) {
      return;
    }
    stopFlag = true;
    endReason = reason;
    if (state == State.PROBING) {
      finish(reason);
      return;
    }
    state = State.STOPPING;
    if (run != null) {
      EncoderRun r = run;
      r.closeInput();
      // FFmpeg normally drains and exits in well under a second; past this it is killed.
      vertx.setTimer(5000, id -> {
        if (r.process().isAlive()) {
          LOG.warn("Stream {}: FFmpeg did not exit after its input closed; killing it", stream.name());
          r.kill();
        }
      });
    }
  }

  private void finish(String reason) {
    if (state == State.STOPPED) {
      return;
    }
    state = State.STOPPED;
    stopFlag = true;
    if (endReason.isEmpty()) {
      endReason = reason;
    }
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
    }
    if (run != null) {
      run.kill();
    }
    probeBuffer.clear();
    LOG.info("Stream {}: ended ({})", stream.name(), endReason);
    ended.tryComplete();
  }

  private void publish(String what, int number, String detail) {
    vertx.eventBus().publish(Addresses.ENCODER_STATE, new EncoderEvent(stream.name(), stream.sessionId(), what, number, detail));
  }

  private static Duration seconds(double s) {
    return Duration.ofMillis(Math.round(s * 1000));
  }

  /** A run ended without being asked to. */
  static final class EncoderDied extends RuntimeException {
    private static final long serialVersionUID = 1L;

    EncoderDied(int exitCode) {
      super("FFmpeg exited with code " + exitCode, null, false, false);
    }
  }
}
