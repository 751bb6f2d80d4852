package dev.headwater.record;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headwater.config.HeadwaterConfig;
import dev.headwater.media.Bytes;
import dev.headwater.timeline.InitSection;
import dev.headwater.timeline.RenditionKind;
import dev.headwater.timeline.RenditionSpec;
import dev.headwater.timeline.RenditionTimeline;
import dev.headwater.timeline.StreamSnapshot;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recorder against local disk, fed by real timelines: groups stored once every rendition closed
 * them, the index at the end, the catalogue rebuilt and repaired after a crash, storage faults
 * (paused, retried, nothing lost), the queue bound (dropped groups and a discontinuity), retention.
 */
class RecorderTest {
  private static final long ANCHOR = 1_700_000_000_000L;
  private static final RenditionSpec VIDEO =
      new RenditionSpec("360p", RenditionKind.VIDEO, 360, 1_130_800, 980_400, 30);
  private static final RenditionSpec AUDIO =
      new RenditionSpec("audio", RenditionKind.AUDIO, 0, 140_800, 140_800, 0);

  @TempDir Path dir;
  private RenditionTimeline video;
  private RenditionTimeline audio;
  private long version;
  private Recorder recorder;
  private SimpleMeterRegistry meters;

  @BeforeEach
  void timelines() {
    video = new RenditionTimeline(VIDEO, 6, 2);
    audio = new RenditionTimeline(AUDIO, 6, 2);
    video.startRun(
        new InitSection(0, Buffer.buffer(new byte[] {9, 9}), "avc1.64001e", 640, 360, 90_000, 0),
        ANCHOR);
    audio.startRun(
        new InitSection(0, Buffer.buffer(new byte[] {8}), "mp4a.40.2", 0, 0, 48_000, 2), ANCHOR);
  }

  @AfterEach
  void stop() {
    if (recorder != null) {
      recorder.stop(Duration.ofSeconds(5));
    }
  }

  private static HeadwaterConfig.Recording settings(
      int maxPending, double retentionHours, double maxGigabytes) {
    HeadwaterConfig.Recording d = HeadwaterConfig.defaults().recording();
    return new HeadwaterConfig.Recording(
        "all", "local", "", d.s3(), maxPending, 0.05, 0.2, retentionHours, maxGigabytes, 2);
  }

  private Recorder start(ObjectStore store, HeadwaterConfig.Recording settings, Clock clock) {
    meters = new SimpleMeterRegistry();
    Recorder r = new Recorder(store, new Catalogue(), settings, meters, clock);
    r.start();
    r.rebuilt().join();
    return r;
  }

  private Recorder start(ObjectStore store) {
    return start(store, settings(30, 0, 0), Clock.systemUTC());
  }

  /** Two seconds of video (10 parts) and of audio, MSN {@code n}; closed when {@code close}. */
  private void segment(RenditionTimeline t, long n, long ticksPerSecond, boolean close) {
    long part = ticksPerSecond / 5;
    for (int i = 0; i < 10; i++) {
      t.addPart(
          Bytes.wrap(new byte[] {(byte) n, (byte) i, 7}),
          n * 2 * ticksPerSecond + i * part,
          part,
          i == 0,
          i == 0,
          0);
    }
    if (close) {
      t.closeSegment();
    }
  }

  private void both(long n) {
    segment(video, n, 90_000, true);
    segment(audio, n, 48_000, true);
  }

  private StreamSnapshot snapshot(boolean ended) {
    return new StreamSnapshot(
        "demo",
        "S1",
        ++version,
        Instant.ofEpochMilli(ANCHOR),
        List.of(video.snapshot(), audio.snapshot()),
        ended);
  }

  private Recording awaitEntries(int n) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                recorder.catalogue().get("demo", "S1") != null
                    && recorder.catalogue().get("demo", "S1").entries().size() == n);
    return recorder.catalogue().get("demo", "S1");
  }

  /** Ends both renditions and the recording; waits until demo/S1 is listed ended. */
  private Recording endAndAwait(RecordingTap tap) {
    video.end();
    audio.end();
    tap.observe(snapshot(true));
    tap.end();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                recorder.catalogue().get("demo", "S1") != null
                    && recorder.catalogue().get("demo", "S1").ended());
    return recorder.catalogue().get("demo", "S1");
  }

  @Test
  void recordsAGroupOnceEveryRenditionClosedItThenIndexesTheRecording() throws Exception {
    recorder = start(new LocalDiskStore(dir));
    RecordingTap tap = recorder.open("demo", "S1", Instant.ofEpochMilli(ANCHOR));
    segment(video, 0, 90_000, true);
    segment(audio, 0, 48_000, false);
    tap.observe(snapshot(false));
    audio.closeSegment();
    tap.observe(snapshot(false));
    Recording r = awaitEntries(1);
    assertFalse(r.ended());
    assertEquals(List.of("360p", "audio"), r.renditions().stream().map(x -> x.name()).toList());
    assertEquals(2.0, r.duration(), 1e-9);
    assertTrue(Files.exists(dir.resolve("demo/S1/360p/init-0.mp4")));
    assertEquals(30, Files.size(dir.resolve("demo/S1/360p/s0.m4s")), "10 parts of 3 bytes");
    assertTrue(Files.exists(dir.resolve("demo/S1/entries/000000000000.json")));

    both(1);
    r = endAndAwait(tap);
    assertEquals(2, r.entries().size());
    assertTrue(Files.exists(dir.resolve("demo/S1/index.json")));
    assertFalse(Files.exists(dir.resolve("demo/S1/entries")), "entries folded into the index");
  }

  @Test
  void aRenditionsLastSegmentIsRecordedWhenTheOthersEndedOneEarlier() throws Exception {
    recorder = start(new LocalDiskStore(dir));
    RecordingTap tap = recorder.open("demo", "S1", Instant.ofEpochMilli(ANCHOR));
    both(0);
    segment(audio, 1, 48_000, true); // audio runs a little past the video's last segment
    Recording r = endAndAwait(tap);
    assertEquals(List.of(0L, 1L), r.entries().stream().map(RecordingEntry::msn).toList());
    assertEquals(java.util.Set.of("audio"), r.entries().get(1).segments().keySet());
    assertTrue(Files.exists(dir.resolve("demo/S1/audio/s1.m4s")));
  }

  @Test
  void aRestartRebuildsTheCatalogueRepairsAnUnfinishedRecordingAndDropsOrphans() throws Exception {
    recorder = start(new LocalDiskStore(dir));
    RecordingTap tap = recorder.open("demo", "S1", Instant.ofEpochMilli(ANCHOR));
    both(0);
    both(1);
    both(2);
    tap.observe(snapshot(false));
    awaitEntries(3);
    // A crash: the recording never ends. One segment also vanished, and an orphan lies around.
    recorder.stop(Duration.ofSeconds(5));
    Files.delete(dir.resolve("demo/S1/audio/s1.m4s"));
    Files.createDirectories(dir.resolve("demo/S0/360p"));
    Files.write(dir.resolve("demo/S0/360p/s0.m4s"), new byte[] {1});

    recorder = start(new LocalDiskStore(dir));
    Recording r = recorder.catalogue().get("demo", "S1");
    assertNotNull(r);
    assertTrue(r.ended(), "an unfinished recording is finished by the rebuild");
    assertEquals(List.of(0L, 2L), r.entries().stream().map(RecordingEntry::msn).toList());
    assertTrue(r.entries().get(1).discontinuity(), "the group after a missing one");
    assertTrue(Files.exists(dir.resolve("demo/S1/index.json")));
    assertFalse(Files.exists(dir.resolve("demo/S1/entries")));
    assertFalse(Files.exists(dir.resolve("demo/S0")), "orphan media deleted");
    assertEquals(1, recorder.catalogue().list().size());
    assertEquals(
        List.of(0, 2),
        r.renditions().stream().map(RecordedRendition::channels).toList(),
        "the audio init section's channel count, kept in recording.json");
  }

  @Test
  void aRecordingMadeBeforeChannelsWereKeptLoadsWithoutThem() throws Exception {
    recorder = start(new LocalDiskStore(dir));
    RecordingTap tap = recorder.open("demo", "S1", Instant.ofEpochMilli(ANCHOR));
    both(0);
    endAndAwait(tap);
    recorder.stop(Duration.ofSeconds(5));
    Path index = dir.resolve("demo/S1/index.json");
    io.vertx.core.json.JsonObject json = new io.vertx.core.json.JsonObject(Files.readString(index));
    json.getJsonArray("renditions")
        .forEach(x -> ((io.vertx.core.json.JsonObject) x).remove("channels"));
    Files.writeString(index, json.encode());

    recorder = start(new LocalDiskStore(dir));
    Recording r = recorder.catalogue().get("demo", "S1");
    assertNotNull(r);
    assertEquals(List.of(0, 0), r.renditions().stream().map(RecordedRendition::channels).toList());
  }

  /** Storage that refuses every operation while {@code failing}, as a full or gone disk does. */
  static final class FailingStore implements ObjectStore {
    final ObjectStore inner;
    final AtomicBoolean failing = new AtomicBoolean();

    FailingStore(ObjectStore inner) {
      this.inner = inner;
    }

    private void check() throws IOException {
      if (failing.get()) {
        throw new IOException("No space left on device");
      }
    }

    @Override
    public void put(String key, byte[] bytes) throws IOException {
      check();
      inner.put(key, bytes);
    }

    @Override
    public byte[] get(String key) throws IOException {
      check();
      return inner.get(key);
    }

    @Override
    public List<StoredObject> list(String prefix) throws IOException {
      check();
      return inner.list(prefix);
    }

    @Override
    public void delete(String key) throws IOException {
      check();
      inner.delete(key);
    }

    @Override
    public String describe() {
      return "failing " + inner.describe();
    }
  }

  private double gauge(String name) {
    return meters.get(name).gauge().value();
  }

  @Test
  void pausesWhileStorageFailsThenStoresEverythingQueued() throws Exception {
    FailingStore store = new FailingStore(new LocalDiskStore(dir));
    recorder = start(store);
    RecordingTap tap = recorder.open("demo", "S1", Instant.ofEpochMilli(ANCHOR));
    store.failing.set(true);
    both(0);
    both(1);
    both(2);
    tap.observe(snapshot(false));
    await().atMost(Duration.ofSeconds(5)).until(() -> gauge("headwater_recording_paused") == 1.0);
    assertEquals(3.0, gauge("headwater_recording_pending_groups"));
    assertNull(recorder.catalogue().get("demo", "S1"));
    store.failing.set(false);
    Recording r = awaitEntries(3);
    await().atMost(Duration.ofSeconds(5)).until(() -> gauge("headwater_recording_paused") == 0.0);
    assertTrue(r.entries().stream().noneMatch(RecordingEntry::discontinuity));
    assertTrue(meters.get("headwater_recording_write_failures_total").counter().count() >= 1);
  }

  @Test
  void dropsGroupsPastTheQueueBoundAndMarksTheGapWithADiscontinuity() throws Exception {
    FailingStore store = new FailingStore(new LocalDiskStore(dir));
    recorder = start(store, settings(2, 0, 0), Clock.systemUTC());
    RecordingTap tap = recorder.open("demo", "S1", Instant.ofEpochMilli(ANCHOR));
    store.failing.set(true);
    for (int n = 0; n < 5; n++) {
      both(n);
    }
    tap.observe(snapshot(false));
    assertEquals(3.0, meters.get("headwater_recording_dropped_groups_total").counter().count());
    store.failing.set(false);
    awaitEntries(2);
    both(5);
    tap.observe(snapshot(false));
    Recording r = awaitEntries(3);
    assertEquals(List.of(0L, 1L, 5L), r.entries().stream().map(RecordingEntry::msn).toList());
    assertFalse(r.entries().get(1).discontinuity());
    assertTrue(r.entries().get(2).discontinuity(), "after the dropped groups");
  }

  /** Records and ends one recording of {@code groups} groups under {@code session}. */
  private void recordEnded(String session, Instant startedAt, int groups) {
    RecordingTap tap = recorder.open("demo", session, startedAt);
    timelines();
    for (int n = 0; n < groups; n++) {
      both(n);
    }
    video.end();
    audio.end();
    tap.observe(
        new StreamSnapshot(
            "demo",
            session,
            ++version,
            startedAt,
            List.of(video.snapshot(), audio.snapshot()),
            true));
    tap.end();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                recorder.catalogue().get("demo", session) != null
                    && recorder.catalogue().get("demo", session).ended());
  }

  @Test
  void retentionDeletesRecordingsPastTheirAgeAndTheOldestPastTheSizeCap() throws Exception {
    recorder = start(new LocalDiskStore(dir));
    recordEnded("OLD", Instant.ofEpochMilli(ANCHOR), 2);
    recordEnded("NEW", Instant.ofEpochMilli(ANCHOR + 60_000), 2);
    long one = recorder.catalogue().get("demo", "NEW").size();
    recorder.stop(Duration.ofSeconds(5));
    // Recorded at ANCHOR; 30 minutes later a 1 h retention keeps both.
    Instant halfHour = Instant.ofEpochMilli(ANCHOR).plus(Duration.ofMinutes(30));
    recorder =
        start(new LocalDiskStore(dir), settings(30, 1, 0), Clock.fixed(halfHour, ZoneOffset.UTC));
    assertEquals(2, recorder.catalogue().list().size());
    recorder.stop(Duration.ofSeconds(5));
    // A size cap that holds one recording deletes the older one, whole.
    recorder =
        start(
            new LocalDiskStore(dir),
            settings(30, 0, one / (1024.0 * 1024 * 1024)),
            Clock.systemUTC());
    assertEquals(
        List.of("NEW"), recorder.catalogue().list().stream().map(Recording::session).toList());
    assertFalse(Files.exists(dir.resolve("demo/OLD")));
    assertEquals(
        1.0,
        meters.get("headwater_recordings_deleted_total").tag("reason", "size").counter().count());
    recorder.stop(Duration.ofSeconds(5));
    // Two hours on, a 1 h retention deletes what is left.
    Instant later = Instant.ofEpochMilli(ANCHOR).plus(Duration.ofHours(2));
    recorder =
        start(new LocalDiskStore(dir), settings(30, 1, 0), Clock.fixed(later, ZoneOffset.UTC));
    assertEquals(List.of(), recorder.catalogue().list());
    assertFalse(Files.exists(dir.resolve("demo")));
    assertEquals(
        1.0,
        meters.get("headwater_recordings_deleted_total").tag("reason", "age").counter().count());
  }
}
