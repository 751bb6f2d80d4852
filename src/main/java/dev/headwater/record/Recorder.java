package dev.headwater.record;

import dev.headwater.config.HeadwaterConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores recordings: one thread of its own takes jobs from a queue and writes them to the {@link
 * ObjectStore}, so live delivery never waits for storage. A write that fails is retried with
 * backoff until storage answers again; meanwhile recording is paused (a gauge and one log line),
 * newly closed segment groups queue up to {@code recording.maxPendingSegments}, and past that bound
 * they are dropped and counted, and the recording goes on after a discontinuity.
 *
 * <p>The thread also rebuilds the {@link Catalogue} from the store at start (repairing recordings a
 * crash left without an index) and applies retention by age and by total size.
 */
public final class Recorder {
  private static final Logger LOG = LoggerFactory.getLogger(Recorder.class);
  private static final long SWEEP_EVERY_MILLIS = 60_000;
  private static final long FAILURE_LOG_EVERY_MILLIS = 60_000;

  /** One unit of work for the recorder's thread; run again as a whole when it fails. */
  interface Job {
    void run() throws IOException;

    String describe();

    /** Counts against {@code recording.maxPendingSegments}. */
    default boolean group() {
      return false;
    }
  }

  private final ObjectStore store;
  private final Catalogue catalogue;
  private final HeadwaterConfig.Recording settings;
  private final Pattern pattern;
  private final Clock clock;
  private final LinkedBlockingQueue<Job> queue = new LinkedBlockingQueue<>();
  private final AtomicInteger pendingGroups = new AtomicInteger();
  private final AtomicInteger paused = new AtomicInteger();
  private final AtomicLong lastDropLogMillis = new AtomicLong(Long.MIN_VALUE / 2);
  private final CompletableFuture<Void> rebuilt = new CompletableFuture<>();
  private final Thread thread;
  private final Counter dropped;
  private final Counter bytesWritten;
  private final Counter failures;
  private final Counter deletedByAge;
  private final Counter deletedBySize;
  private final Timer groupWrite;

  private volatile boolean closing;
  private volatile boolean abandoned;
  private long pausedSinceMillis;
  private long lastFailureLogMillis;
  private long nextSweepMillis;

  public Recorder(
      ObjectStore store,
      Catalogue catalogue,
      HeadwaterConfig.Recording settings,
      MeterRegistry meters,
      Clock clock) {
    this.store = store;
    this.catalogue = catalogue;
    this.settings = settings;
    this.clock = clock;
    this.pattern =
        settings.streams().equals("all") || settings.streams().equals("none")
            ? null
            : Pattern.compile(settings.streams());
    this.thread = new Thread(this::loop, "headwater-recorder");
    thread.setDaemon(true);
    Gauge.builder("headwater_recording_pending_groups", pendingGroups, AtomicInteger::get)
        .description("Segment groups waiting to be stored")
        .register(meters);
    Gauge.builder("headwater_recording_paused", paused, AtomicInteger::get)
        .description("1 while storage refuses writes and recording waits to retry")
        .register(meters);
    Gauge.builder("headwater_recordings", catalogue, c -> c.list().size())
        .description("Recordings in the catalogue")
        .register(meters);
    Gauge.builder("headwater_recordings_bytes", catalogue, Catalogue::totalSize)
        .description("Bytes of media all recordings hold")
        .register(meters);
    this.dropped =
        Counter.builder("headwater_recording_dropped_groups_total")
            .description("Segment groups not recorded because the queue was full")
            .register(meters);
    this.bytesWritten =
        Counter.builder("headwater_recording_written_bytes_total")
            .description("Media bytes stored")
            .register(meters);
    this.failures =
        Counter.builder("headwater_recording_write_failures_total")
            .description("Storage operations that failed (each is retried)")
            .register(meters);
    this.deletedByAge =
        Counter.builder("headwater_recordings_deleted_total")
            .tag("reason", "age")
            .description("Recordings deleted by retention")
            .register(meters);
    this.deletedBySize =
        Counter.builder("headwater_recordings_deleted_total")
            .tag("reason", "size")
            .description("Recordings deleted by retention")
            .register(meters);
    this.groupWrite =
        Timer.builder("headwater_recording_group_seconds")
            .description("Time to store one segment group (every rendition's segment and entry)")
            .register(meters);
  }

  public ObjectStore store() {
    return store;
  }

  public Catalogue catalogue() {
    return catalogue;
  }

  /** Starts the thread; it first rebuilds the catalogue from the store. */
  public void start() {
    LOG.info(
        "Recording {} to {}",
        settings.streams().equals("all")
            ? "every stream"
            : settings.streams().equals("none")
                ? "no stream"
                : "streams matching " + settings.streams(),
        store.describe());
    thread.start();
  }

  /** Completes when the catalogue has been rebuilt from the store and retention applied. */
  public CompletableFuture<Void> rebuilt() {
    return rebuilt;
  }

  /** Whether a stream of this name is recorded ({@code recording.streams}). */
  public boolean records(String name) {
    return switch (settings.streams()) {
      case "all" -> true;
      case "none" -> false;
      default -> pattern.matcher(name).matches();
    };
  }

  /**
   * A tap the stream's owner feeds its snapshots to, or null when this stream is not recorded.
   * Called on the owner's context.
   */
  public RecordingTap open(String name, String session, Instant startedAt) {
    if (!records(name) || closing) {
      return null;
    }
    return new RecordingTap(this, new LiveRecording(name, session, startedAt));
  }

  /**
   * Stops taking new groups, stores what is queued for up to {@code drain}, then gives up on the
   * rest (logged). Blocks: call it on a worker thread.
   */
  public void stop(Duration drain) {
    closing = true;
    try {
      thread.join(drain.toMillis());
      if (thread.isAlive()) {
        abandoned = true;
        thread.interrupt();
        thread.join(5000);
        LOG.warn(
            "Recorder stopped with {} job(s) not stored: storage did not take them within {} s",
            queue.size(),
            drain.toSeconds());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    store.close();
  }

  // ---- called by taps, on the owners' contexts ----

  /** Queues a segment group; false (and counted) when the queue is full. */
  boolean offerGroup(Job job) {
    if (pendingGroups.incrementAndGet() > settings.maxPendingSegments()) {
      pendingGroups.decrementAndGet();
      dropped.increment();
      long now = clock.millis();
      long last = lastDropLogMillis.get();
      if (now - last >= FAILURE_LOG_EVERY_MILLIS && lastDropLogMillis.compareAndSet(last, now)) {
        LOG.warn(
            "Recording: dropped {} ({} groups already wait for storage; {} dropped in all); the recording continues after a discontinuity",
            job.describe(),
            settings.maxPendingSegments(),
            (long) dropped.count());
      }
      return false;
    }
    queue.add(job);
    return true;
  }

  /** Queues a job that must not be dropped (the end of a recording): a few per stream. */
  void offerControl(Job job) {
    queue.add(job);
  }

  // ---- the recorder's thread ----

  private void loop() {
    try {
      runWithRetry("rebuilding the recording catalogue", this::rebuild);
      sweepNow();
      rebuilt.complete(null);
      while (!closing || !queue.isEmpty()) {
        Job job = queue.poll(1, TimeUnit.SECONDS);
        if (job != null) {
          try {
            runWithRetry(job.describe(), job::run);
          } finally {
            if (job.group()) {
              pendingGroups.decrementAndGet();
            }
          }
        }
        if (clock.millis() >= nextSweepMillis) {
          sweepNow();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      if (!abandoned) {
        LOG.error("Recorder stopped unexpectedly; nothing more is recorded", e);
      }
    } finally {
      rebuilt.complete(null);
    }
  }

  /** An action retried with exponential backoff (and jitter) until it succeeds or we give up. */
  interface Action {
    void run() throws IOException;
  }

  private void runWithRetry(String what, Action action) {
    Uni.createFrom()
        .item(
            () -> {
              try {
                action.run();
                return Boolean.TRUE;
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            })
        .onFailure()
        .invoke(e -> failed(what, e))
        .onFailure(e -> !abandoned)
        .retry()
        .withBackOff(
            Duration.ofMillis(Math.round(settings.retryMinSeconds() * 1000)),
            Duration.ofMillis(Math.round(settings.retryMaxSeconds() * 1000)))
        .withJitter(0.2)
        .indefinitely()
        .await()
        .indefinitely();
    if (paused.getAndSet(0) == 1) {
      LOG.info(
          "Recording resumed: storage answers again after {} s; {} group(s) waiting",
          (clock.millis() - pausedSinceMillis) / 1000,
          pendingGroups.get());
    }
  }

  private void failed(String what, Throwable e) {
    failures.increment();
    Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
    long now = clock.millis();
    if (paused.getAndSet(1) == 0) {
      pausedSinceMillis = now;
      lastFailureLogMillis = now;
      LOG.warn(
          "Recording paused: {} failed on {}: {}. Retrying with backoff up to {} s; live streams are not affected",
          what,
          store.describe(),
          cause.toString(),
          settings.retryMaxSeconds());
    } else if (now - lastFailureLogMillis >= FAILURE_LOG_EVERY_MILLIS) {
      lastFailureLogMillis = now;
      LOG.warn(
          "Recording still paused after {} s: {}; {} group(s) waiting, {} dropped so far",
          (now - pausedSinceMillis) / 1000,
          cause.toString(),
          pendingGroups.get(),
          (long) dropped.count());
    }
  }

  void countWritten(long bytes) {
    bytesWritten.increment(bytes);
  }

  Timer groupWrite() {
    return groupWrite;
  }

  // ---- the catalogue, from the store ----

  /**
   * Reads every recording the store holds. One the origin did not finish (it crashed or was killed)
   * is repaired: its entries become an index. An entry whose media is missing is left out (the next
   * one becomes a discontinuity), and objects that belong to no listed recording are deleted.
   */
  private void rebuild() throws IOException {
    Map<String, Map<String, Long>> byBase = new TreeMap<>();
    for (ObjectStore.StoredObject o : store.list("")) {
      String[] parts = o.key().split("/", 3);
      if (parts.length < 3) {
        continue;
      }
      byBase
          .computeIfAbsent(parts[0] + "/" + parts[1] + "/", k -> new TreeMap<>())
          .put(parts[2], o.size());
    }
    int repaired = 0;
    for (Map.Entry<String, Map<String, Long>> b : byBase.entrySet()) {
      Recording r = load(b.getKey(), b.getValue());
      if (r == null) {
        LOG.warn(
            "Recording storage: {} holds media of no recording (a recording that never stored a segment group, or a deletion that was interrupted); deleting it",
            b.getKey());
        deleteAll(b.getKey());
        continue;
      }
      if (!b.getValue().containsKey(RecordingKeys.INDEX)) {
        store.put(
            RecordingKeys.index(r.name(), r.session()),
            RecordingJson.bytes(RecordingJson.index(r)));
        repaired++;
      }
      for (String rest : b.getValue().keySet()) {
        if (rest.startsWith(RecordingKeys.ENTRIES)) {
          store.delete(b.getKey() + rest);
        }
      }
      catalogue.put(r);
    }
    LOG.info(
        "Recording catalogue: {} recording(s), {} MB, on {}{}",
        catalogue.list().size(),
        catalogue.totalSize() / (1024 * 1024),
        store.describe(),
        repaired == 0 ? "" : " (" + repaired + " left unfinished by a previous run, repaired)");
  }

  private Recording load(String base, Map<String, Long> objects) throws IOException {
    List<RecordingEntry> entries;
    io.vertx.core.json.JsonObject header;
    if (objects.containsKey(RecordingKeys.INDEX)) {
      header = RecordingJson.parse(store.get(base + RecordingKeys.INDEX));
      entries = RecordingJson.entries(header.getJsonArray("entries"));
    } else if (objects.containsKey(RecordingKeys.RECORDING)) {
      header = RecordingJson.parse(store.get(base + RecordingKeys.RECORDING));
      entries = new ArrayList<>();
      for (String rest : objects.keySet()) {
        if (rest.startsWith(RecordingKeys.ENTRIES)) {
          byte[] bytes = store.get(base + rest);
          if (bytes != null) {
            entries.add(RecordingJson.entry(RecordingJson.parse(bytes)));
          }
        }
      }
    } else {
      return null;
    }
    Recording r = RecordingJson.recording(header, List.of(), true);
    List<RecordingEntry> kept = new ArrayList<>(entries.size());
    boolean gap = false;
    for (RecordingEntry e : entries) {
      boolean complete = true;
      for (Map.Entry<String, RecordedSegment> s : e.segments().entrySet()) {
        String rest = s.getKey() + "/s" + e.msn() + ".m4s";
        String init = s.getKey() + "/init-" + s.getValue().init() + ".mp4";
        complete &= objects.containsKey(rest) && objects.containsKey(init);
      }
      if (!complete) {
        LOG.warn("Recording {}: segment group {} has media missing; left out", base, e.msn());
        gap = true;
        continue;
      }
      kept.add(gap ? afterGap(e) : e);
      gap = false;
    }
    return kept.isEmpty()
        ? null
        : new Recording(r.name(), r.session(), r.startedAt(), r.renditions(), kept, true);
  }

  /** The entry, marked as following a gap in every rendition. */
  private static RecordingEntry afterGap(RecordingEntry e) {
    Map<String, RecordedSegment> marked = new java.util.LinkedHashMap<>();
    e.segments()
        .forEach(
            (name, s) ->
                marked.put(
                    name,
                    new RecordedSegment(
                        s.init(),
                        s.duration(),
                        s.durationTicks(),
                        s.startTicks(),
                        s.size(),
                        true,
                        s.programDateTime())));
    return new RecordingEntry(e.msn(), true, e.programDateTime(), marked);
  }

  // ---- retention ----

  private void sweepNow() {
    nextSweepMillis = clock.millis() + SWEEP_EVERY_MILLIS;
    runWithRetry("applying recording retention", this::sweep);
  }

  /** Deletes ended recordings past {@code retentionHours}, then the oldest past the size cap. */
  void sweep() throws IOException {
    Instant now = clock.instant();
    List<Recording> oldestFirst = new ArrayList<>(catalogue.list());
    java.util.Collections.reverse(oldestFirst);
    if (settings.retentionHours() > 0) {
      Instant cutoff = now.minusMillis(Math.round(settings.retentionHours() * 3_600_000));
      for (Recording r : oldestFirst) {
        if (r.ended() && r.lastMediaAt().isBefore(cutoff)) {
          delete(r, "older than " + settings.retentionHours() + " h");
          deletedByAge.increment();
        }
      }
    }
    if (settings.maxTotalGigabytes() > 0) {
      long cap = Math.round(settings.maxTotalGigabytes() * 1024 * 1024 * 1024);
      long total = catalogue.totalSize();
      for (Recording r : oldestFirst) {
        if (total <= cap) {
          break;
        }
        if (r.ended() && catalogue.get(r.name(), r.session()) != null) {
          total -= r.size();
          delete(r, "recordings exceed " + settings.maxTotalGigabytes() + " GB");
          deletedBySize.increment();
        }
      }
    }
  }

  /**
   * Deletes a recording: its index first (a crash from here on leaves orphans the next rebuild
   * deletes, never a listed recording with media missing), then its catalogue entry, then its
   * media.
   */
  private void delete(Recording r, String why) throws IOException {
    store.delete(RecordingKeys.index(r.name(), r.session()));
    store.delete(RecordingKeys.recording(r.name(), r.session()));
    catalogue.remove(r);
    deleteAll(r.key());
    LOG.info(
        "Deleted recording {}/{} ({} s, {} MB, started {}): {}",
        r.name(),
        r.session(),
        Math.round(r.duration()),
        r.size() / (1024 * 1024),
        r.startedAt(),
        why);
  }

  private void deleteAll(String base) throws IOException {
    for (ObjectStore.StoredObject o : store.list(base)) {
      store.delete(o.key());
    }
  }
}
