package dev.headwater.encode;

import dev.headwater.config.HeadwaterConfig;
import dev.headwater.media.flv.FlvTag;
import dev.headwater.metrics.StreamMeters;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the encoder of one live stream: probes each publisher's source, plans the ladder, starts
 * FFmpeg through the {@link ProcessLauncher}, feeds it, and restarts it when it dies or stalls.
 * Single-threaded: every method, timer and process event runs on the stream owner's context, so
 * nothing here is shared.
 *
 * <p>States: IDLE (no publisher) → PROBING (learning the source) → LAUNCHING (a run is starting, or
 * waits for the previous run to drain) → RUNNING ⇄ BACKOFF (the run died or stalled; the {@link
 * RestartPolicy} gives the delay or gives up) ; any → IDLE when the publisher leaves (the run's
 * input is closed and it drains: FFmpeg flushes its last fragments), any → STOPPED for good.
 *
 * <p>A run that ends while it is the one being fed was not asked to: that is a crash, counted by
 * the policy. Runs whose input was closed are "draining"; their exit is expected. A new run starts
 * only once no earlier run is alive, so two FFmpeg never post the same rendition at once.
 */
public final class EncoderSupervisor {
  private static final Logger LOG = LoggerFactory.getLogger(EncoderSupervisor.class);

  /** How long a drained FFmpeg may take to exit after its input closed before it is killed. */
  static final long DRAIN_KILL_MILLIS = 5000;

  /** How often a running encoder is checked for a stall. */
  static final long STALL_CHECK_MILLIS = 500;

  /** What the stream owner hears from its encoder. Called on the owner's context. */
  public interface Listener {
    /**
     * A publisher's source was probed; this is its ladder. Called before the first run for that
     * source.
     */
    void planned(LadderPlan plan);

    /** Media time 0 of run {@code run} is this wall-clock instant (for EXT-X-PROGRAM-DATE-TIME). */
    void anchored(int run, long epochMillis);

    /**
     * The encoder cannot go on (unsupported source, no video, restarts spent); the stream should
     * end.
     */
    void failed(String reason);
  }

  enum State {
    IDLE,
    PROBING,
    LAUNCHING,
    RUNNING,
    BACKOFF,
    STOPPED
  }

  private final HeadwaterConfig config;
  private final String ffmpeg;
  private final String name;
  private final String intakeBase;
  private final ProcessLauncher launcher;
  private final Scheduler scheduler;
  private final StreamMeters meters;
  private final Listener listener;

  private State state = State.IDLE;
  private RestartPolicy policy;
  private ByteBudget budget;
  private SourceProbe probe;
  private LadderPlan plan;
  private SourceProbe.Source source;
  private long publisherFirstTs = -1;
  private long publisherEpochMillis;
  private final ArrayDeque<FlvTag> pending = new ArrayDeque<>();
  private Run current;
  private final List<Run> draining = new ArrayList<>();
  private int nextRun;
  private boolean restarting;
  private long probeTimer = -1;
  private long backoffTimer = -1;
  private long stallTimer = -1;
  private final Promise<Void> stopped = Promise.promise();

  /**
   * @param intakeBase URL prefix FFmpeg posts each run to: {@code intakeBase + RUN + "/" +
   *     RENDITION}
   */
  public EncoderSupervisor(
      HeadwaterConfig config,
      String ffmpeg,
      String name,
      String intakeBase,
      ProcessLauncher launcher,
      Scheduler scheduler,
      StreamMeters meters,
      Listener listener) {
    this.config = config;
    this.ffmpeg = ffmpeg;
    this.name = name;
    this.intakeBase = intakeBase;
    this.launcher = launcher;
    this.scheduler = scheduler;
    this.meters = meters;
    this.listener = listener;
  }

  State state() {
    return state;
  }

  /** Completes once stopped and no FFmpeg of this stream is alive. */
  public Future<Void> stopped() {
    return stopped.future();
  }

  // ---- publisher side ----

  /**
   * A publisher starts sending (the first, a reconnecting one, or one taking over). Its source is
   * probed afresh: it may differ from the last one. Bytes it sends are accounted in {@code budget}.
   */
  public void publisherJoined(ByteBudget budget) {
    if (state == State.STOPPED) {
      return;
    }
    dropPublisher();
    this.budget = budget;
    this.policy = newPolicy();
    this.probe = new SourceProbe(budgetLimit(), this::drop);
    this.publisherFirstTs = -1;
    state = State.PROBING;
    long timeout = millis(config.ffmpeg().startTimeoutSeconds());
    probeTimer =
        scheduler.schedule(
            timeout,
            () -> {
              probeTimer = -1;
              if (state == State.PROBING && !probe.sawVideoHeader()) {
                fail(
                    "no H.264 video from the publisher within "
                        + config.ffmpeg().startTimeoutSeconds()
                        + " s");
              }
            });
  }

  public void metadata(Map<String, Object> values) {
    if (probe != null) {
      probe.metadata(values);
    }
  }

  /** A frame from the current publisher; its bytes were acquired from the publisher's budget. */
  public void write(FlvTag tag) {
    // The publisher's clock is mapped to wall time at its first frame (sequence headers often carry
    // 0
    // whatever the frames' timestamps are).
    if (publisherFirstTs < 0
        && state != State.IDLE
        && state != State.STOPPED
        && !SourceProbe.isSequenceHeader(tag)) {
      publisherFirstTs = tag.timestampMs();
      publisherEpochMillis = scheduler.nowMillis();
    }
    switch (state) {
      case PROBING -> probe(tag);
      case LAUNCHING -> {
        if (SourceProbe.isSequenceHeader(tag)) {
          release(tag);
        } else {
          pending.addLast(tag);
        }
      }
      case RUNNING -> feed(tag);
      case IDLE, BACKOFF, STOPPED -> drop(tag);
    }
  }

  /**
   * The publisher left. The current run's input is closed so FFmpeg flushes what it has (the
   * playlist gets the last complete part and segment); nothing restarts until a publisher joins
   * again.
   */
  public void publisherLeft() {
    if (state == State.STOPPED) {
      return;
    }
    dropPublisher();
    state = State.IDLE;
  }

  /**
   * Ends supervision for good: the running FFmpeg drains (killed after 5 s), no restart is pending.
   */
  public Future<Void> stop() {
    if (state != State.STOPPED) {
      dropPublisher();
      state = State.STOPPED;
      maybeStopped();
    }
    return stopped.future();
  }

  private void dropPublisher() {
    probeTimer = cancel(probeTimer);
    backoffTimer = cancel(backoffTimer);
    stallTimer = cancel(stallTimer);
    if (current != null) {
      drain(current);
      current = null;
    }
    for (FlvTag t; (t = pending.pollFirst()) != null; ) {
      drop(t);
    }
    if (probe != null) {
      for (FlvTag t : probe.takeHeld()) {
        drop(t);
      }
    }
    probe = null;
    restarting = false;
  }

  // ---- probing and feeding ----

  private void probe(FlvTag tag) {
    SourceProbe.Outcome outcome = probe.offer(tag);
    if (SourceProbe.isSequenceHeader(tag)) {
      release(tag);
    }
    switch (outcome) {
      case NEED_MORE -> {}
      case UNSUPPORTED -> fail(probe.unsupportedReason());
      case READY -> {
        probeTimer = cancel(probeTimer);
        source = probe.source();
        pending.addAll(probe.takeHeld());
        probe = null;
        plan = planFor(source);
        LOG.info(
            "Stream {}: source height {}, audio {}; encoding {} video rendition(s){}",
            name,
            source.height(),
            source.audio(),
            plan.video().size(),
            plan.audio() ? " + audio" : "");
        listener.planned(plan);
        launch();
      }
    }
  }

  private LadderPlan planFor(SourceProbe.Source s) {
    return config.ffmpeg().passthrough()
        ? LadderPlan.passthrough(config, s.height(), s.audio(), s.videoKbps(), s.frameRate())
        : LadderPlan.of(config, s.height(), s.audio());
  }

  private void feed(FlvTag tag) {
    Run run = current;
    if (SourceProbe.isSequenceHeader(tag)) {
      // The run was started with the headers of the probe; a publisher that changes them mid-stream
      // must reconnect (a new source is probed then).
      release(tag);
      return;
    }
    boolean wasAnchored = run.feed.anchored();
    byte[] bytes = run.feed.feed(tag);
    if (bytes == null) {
      drop(tag);
      return;
    }
    if (!wasAnchored) {
      listener.anchored(
          run.number, publisherEpochMillis + (run.feed.anchorTimestamp() - publisherFirstTs));
    }
    ByteBudget b = budget;
    int n = tag.data().length;
    run.process.offer(bytes, () -> b.release(n));
    run.lastInputMillis = scheduler.nowMillis();
  }

  // ---- runs ----

  /** Starts the next run, or waits (LAUNCHING) until every earlier run has exited. */
  private void launch() {
    state = State.LAUNCHING;
    if (!draining.isEmpty()) {
      return;
    }
    Run run = new Run(nextRun++);
    current = run;
    List<String> args = FfmpegCommand.build(ffmpeg, config, plan, intakeBase + run.number + "/");
    launcher.launch(name + "#" + run.number, args, run).onComplete(ar -> launched(run, ar));
  }

  private void launched(Run run, AsyncResult<EncoderProcess> ar) {
    if (ar.failed()) {
      LOG.warn(
          "Stream {}: FFmpeg run {} could not start: {}",
          name,
          run.number,
          ar.cause().getMessage());
      if (current == run) {
        current = null;
        crashed(run, 0);
      } else {
        draining.remove(run);
        afterDrain();
      }
      return;
    }
    run.process = ar.result();
    run.startedMillis = scheduler.nowMillis();
    run.lastOutputMillis = run.startedMillis;
    if (draining.contains(run)) {
      // The publisher left while FFmpeg was starting.
      closeInput(run);
    }
    if (run.exitCode != null) {
      exited(run, run.exitCode);
      return;
    }
    if (current != run) {
      return;
    }
    state = State.RUNNING;
    if (restarting) {
      meters.encoderRestart();
      restarting = false;
    }
    LOG.info("Stream {}: FFmpeg run {} started (pid {})", name, run.number, run.process.pid());
    run.feed = new RunFeed(plan.audio());
    for (byte[] b : RunFeed.preamble(source, plan.audio())) {
      run.process.offer(b, null);
    }
    for (FlvTag t; (t = pending.pollFirst()) != null; ) {
      feed(t);
    }
    stallTimer = scheduler.schedule(STALL_CHECK_MILLIS, this::checkStall);
  }

  private void progress(Run run, EncoderProgress p) {
    EncoderProgress before = run.lastProgress;
    if (before == null
        || p.totalSize() != before.totalSize()
        || p.outTimeMicros() != before.outTimeMicros()) {
      run.lastOutputMillis = scheduler.nowMillis();
    }
    run.lastProgress = p;
    if (run == current) {
      meters.encoderProgress(p.fps(), p.speed(), p.bitrateKbps());
    }
  }

  /**
   * A run is stalled when its output has not moved for the timeout while input waits for it: bytes
   * queued for its stdin (FFmpeg stopped reading, so the publisher is paused by backpressure and
   * sends nothing new), or frames fed after its last output within the timeout. An idle publisher
   * is not a stall.
   */
  private void checkStall() {
    stallTimer = -1;
    Run run = current;
    if (state != State.RUNNING || run == null) {
      return;
    }
    long now = scheduler.nowMillis();
    long limit =
        millis(
            run.lastProgress == null
                ? config.ffmpeg().startTimeoutSeconds()
                : config.ffmpeg().stallTimeoutSeconds());
    boolean inputWaiting =
        run.process.queuedBytes() > 0
            || (run.lastInputMillis > run.lastOutputMillis && now - run.lastInputMillis < limit);
    if (inputWaiting && now - run.lastOutputMillis >= limit) {
      LOG.warn(
          "Stream {}: FFmpeg run {} produced nothing for {} ms while fed; killing it",
          name,
          run.number,
          now - run.lastOutputMillis);
      run.process.kill();
      return;
    }
    stallTimer = scheduler.schedule(STALL_CHECK_MILLIS, this::checkStall);
  }

  private void exited(Run run, int code) {
    if (run.process == null) {
      run.exitCode = code;
      return;
    }
    run.killTimer = cancel(run.killTimer);
    if (draining.remove(run)) {
      LOG.info(
          "Stream {}: FFmpeg run {} exited ({}) after its input closed", name, run.number, code);
      afterDrain();
    } else if (run == current) {
      current = null;
      stallTimer = cancel(stallTimer);
      LOG.warn(
          "Stream {}: FFmpeg run {} exited with {} while fed:\n{}",
          name,
          run.number,
          code,
          run.process.stderrTail());
      crashed(run, scheduler.nowMillis() - run.startedMillis);
    }
  }

  private void crashed(Run run, long ranMillis) {
    for (FlvTag t; (t = pending.pollFirst()) != null; ) {
      drop(t);
    }
    long delay = policy.onUnexpectedExit(ranMillis);
    if (delay == RestartPolicy.GIVE_UP) {
      fail(
          "encoder gave up after "
              + config.ffmpeg().maxRestarts()
              + " restarts in a row (runs shorter than "
              + config.ffmpeg().healthyRunSeconds()
              + " s)");
      return;
    }
    LOG.warn(
        "Stream {}: restarting FFmpeg in {} ms (failure {} in a row)",
        name,
        delay,
        policy.consecutiveFailures());
    state = State.BACKOFF;
    backoffTimer =
        scheduler.schedule(
            delay,
            () -> {
              backoffTimer = -1;
              if (state == State.BACKOFF) {
                restarting = true;
                launch();
              }
            });
  }

  private void afterDrain() {
    if (!draining.isEmpty()) {
      return;
    }
    if (state == State.LAUNCHING && current == null) {
      launch();
    }
    maybeStopped();
  }

  private void drain(Run run) {
    draining.add(run);
    if (run.process != null) {
      closeInput(run);
    }
  }

  private void closeInput(Run run) {
    run.process.closeInput();
    run.killTimer =
        scheduler.schedule(
            DRAIN_KILL_MILLIS,
            () -> {
              run.killTimer = -1;
              if (draining.contains(run)) {
                LOG.warn(
                    "Stream {}: FFmpeg run {} did not exit {} ms after its input closed; killing it",
                    name,
                    run.number,
                    DRAIN_KILL_MILLIS);
                run.process.kill();
              }
            });
  }

  private void maybeStopped() {
    if (state == State.STOPPED && current == null && draining.isEmpty()) {
      stopped.tryComplete();
    }
  }

  private void fail(String reason) {
    LOG.warn("Stream {}: {}; ending the stream", name, reason);
    stop();
    listener.failed(reason);
  }

  // ---- helpers ----

  private void drop(FlvTag tag) {
    meters.droppedTag();
    release(tag);
  }

  private void release(FlvTag tag) {
    if (budget != null) {
      budget.release(tag.data().length);
    }
  }

  private RestartPolicy newPolicy() {
    HeadwaterConfig.Ffmpeg f = config.ffmpeg();
    return new RestartPolicy(
        f.maxRestarts(),
        millis(f.restartBackoffInitialSeconds()),
        millis(f.restartBackoffMaxSeconds()),
        millis(f.healthyRunSeconds()));
  }

  private long budgetLimit() {
    return config.rtmp().maxQueuedBytes();
  }

  private long cancel(long timer) {
    if (timer >= 0) {
      scheduler.cancel(timer);
    }
    return -1;
  }

  private static long millis(double seconds) {
    return Math.round(seconds * 1000);
  }

  /** One FFmpeg run: its process once started, and what the stall check needs. */
  private final class Run implements EncoderProcess.Events {
    final int number;
    EncoderProcess process;
    RunFeed feed;
    Integer exitCode;
    long startedMillis;
    long lastOutputMillis;
    long lastInputMillis;
    EncoderProgress lastProgress;
    long killTimer = -1;

    Run(int number) {
      this.number = number;
    }

    @Override
    public void progress(EncoderProgress p) {
      EncoderSupervisor.this.progress(this, p);
    }

    @Override
    public void exited(int code) {
      EncoderSupervisor.this.exited(this, code);
    }
  }
}
