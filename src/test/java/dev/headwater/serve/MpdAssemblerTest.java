package dev.headwater.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headwater.config.HeadwaterConfig;
import dev.headwater.media.Bytes;
import dev.headwater.media.dash.DashAdaptationSet;
import dev.headwater.media.dash.DashPeriod;
import dev.headwater.media.dash.DashSegmentTemplate;
import dev.headwater.media.dash.Mpd;
import dev.headwater.media.dash.MpdWriter;
import dev.headwater.timeline.InitSection;
import dev.headwater.timeline.RenditionKind;
import dev.headwater.timeline.RenditionSpec;
import dev.headwater.timeline.RenditionTimeline;
import dev.headwater.timeline.StreamSnapshot;
import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MpdAssemblerTest {
  private static final long STARTED = 1_700_000_000_000L;
  private static final long ANCHOR = STARTED + 1_000;
  private static final Instant PUBLISHED = Instant.ofEpochMilli(STARTED + 9_000);
  private static final RenditionSpec V720 =
      new RenditionSpec("720p", RenditionKind.VIDEO, 720, 3_440_800, 3_074_400, 30);
  private static final RenditionSpec V360 =
      new RenditionSpec("360p", RenditionKind.VIDEO, 360, 1_130_800, 980_400, 30);
  private static final RenditionSpec AUDIO =
      new RenditionSpec("audio", RenditionKind.AUDIO, 0, 140_800, 140_800, 0);

  private HeadwaterConfig config = HeadwaterConfig.defaults();
  private RenditionTimeline v720;
  private RenditionTimeline v360;
  private RenditionTimeline audio;

  private static InitSection videoInit(int id, int height) {
    return new InitSection(
        id, Buffer.buffer(new byte[] {1}), "avc1.64001f", height * 16 / 9, height, 90_000, 0);
  }

  private static InitSection audioInit(int id) {
    return new InitSection(id, Buffer.buffer(new byte[] {2}), "mp4a.40.2", 0, 0, 48_000, 2);
  }

  /** One segment of {@code parts} parts of 0.2 s starting at {@code start} ticks. */
  private static void segment(RenditionTimeline t, long ticksPerPart, long start, int parts) {
    for (int i = 0; i < parts; i++) {
      t.addPart(
          Bytes.wrap(new byte[] {(byte) i}),
          start + i * ticksPerPart,
          ticksPerPart,
          i == 0,
          i == 0,
          0);
    }
  }

  /** Run 1: segments 0 and 1 (2 s each); run 2 (5 s later): segment 2 open with 3 parts. */
  @BeforeEach
  void twoRuns() {
    v720 = new RenditionTimeline(V720, 30, 6);
    v360 = new RenditionTimeline(V360, 30, 6);
    audio = new RenditionTimeline(AUDIO, 30, 6);
    for (RenditionTimeline t : List.of(v720, v360)) {
      int h = t == v720 ? 720 : 360;
      t.startRun(videoInit(1, h), ANCHOR);
      segment(t, 18_000, 0, 10);
      segment(t, 18_000, 180_000, 10);
      t.startRun(videoInit(2, h), ANCHOR + 5_000);
      segment(t, 18_000, 0, 3);
    }
    audio.startRun(audioInit(1), ANCHOR);
    segment(audio, 9_600, 0, 10);
    segment(audio, 9_600, 96_000, 10);
    audio.startRun(audioInit(2), ANCHOR + 5_000);
    segment(audio, 9_600, 0, 3);
  }

  private StreamSnapshot snapshot(boolean ended) {
    return new StreamSnapshot(
        "demo",
        "SESSION",
        1,
        Instant.ofEpochMilli(STARTED),
        List.of(v720.snapshot(), v360.snapshot(), audio.snapshot()),
        ended);
  }

  private Mpd mpd(boolean ended) {
    return new MpdAssembler(config).mpd(snapshot(ended), "SESSION/", PUBLISHED);
  }

  @Test
  void liveMpdIsDynamicWithAPeriodPerRunOnTheWallClock() {
    Mpd m = mpd(false);
    assertTrue(m.dynamic());
    assertEquals(List.of(Mpd.PROFILE_LIVE, Mpd.PROFILE_CMAF), m.profiles());
    assertEquals(Instant.ofEpochMilli(STARTED), m.availabilityStartTime());
    assertEquals(2_000L, m.minimumUpdatePeriodMillis());
    assertEquals(60_000L, m.timeShiftBufferDepthMillis(), "hls.windowSegments × 2 s");
    assertEquals(1_200L, m.suggestedPresentationDelayMillis());
    assertEquals(1_200L, m.serviceDescription().targetLatencyMillis());
    assertEquals(0.96, m.serviceDescription().minPlaybackRate());
    assertEquals(1.04, m.serviceDescription().maxPlaybackRate());
    assertEquals("/time", m.utcTimings().get(0).value());

    assertEquals(2, m.periods().size());
    DashPeriod first = m.periods().get(0);
    assertEquals("run1", first.id());
    assertEquals(1_000L, first.startMillis(), "the run's anchor after availabilityStartTime");
    assertNull(first.durationMillis(), "Periods are contiguous");
    assertEquals(
        1L,
        first.adaptationSets().get(0).template().endNumber(),
        "a finished run's last segment: none is promised for the outage");
    assertNull(m.periods().get(1).adaptationSets().get(0).template().endNumber());
    DashPeriod second = m.periods().get(1);
    assertEquals("run2", second.id());
    assertEquals(6_000L, second.startMillis());
    assertNull(second.durationMillis(), "the live Period is open");
  }

  @Test
  void templatesAddressTheHlsSegmentsByNumberWithTheChunkOffset() {
    Mpd m = mpd(false);
    DashAdaptationSet video = m.periods().get(1).adaptationSets().get(0);
    DashSegmentTemplate t = video.template();
    assertEquals(90_000L, t.timescale());
    assertEquals(180_000L, t.duration());
    assertEquals(2L, t.startNumber(), "segment 2 is the run's first");
    assertEquals(0L, t.presentationTimeOffset());
    assertEquals("SESSION/$RepresentationID$/s$Number$.m4s", t.media());
    assertEquals("SESSION/$RepresentationID$/init-2.mp4", t.initialization());
    assertEquals(1.966, t.availabilityTimeOffset(), "2 s minus one frame at 30 fps (34 ms)");
    assertEquals(Boolean.FALSE, t.availabilityTimeComplete());
    assertEquals(0L, m.periods().get(0).adaptationSets().get(0).template().startNumber());

    DashAdaptationSet sound = m.periods().get(1).adaptationSets().get(1);
    assertEquals(48_000L, sound.template().timescale());
    assertEquals(96_000L, sound.template().duration());
    assertEquals(1.978, sound.template().availabilityTimeOffset(), "minus one AAC frame (22 ms)");
    assertEquals(2, sound.audioChannels());
    assertEquals(48_000, sound.representations().get(0).audioSamplingRate());
  }

  @Test
  void representationsCarryTheHlsCodecsAndTheirOwnBandwidth() {
    DashAdaptationSet video = mpd(false).periods().get(1).adaptationSets().get(0);
    assertEquals(
        List.of("720p", "360p"), video.representations().stream().map(r -> r.id()).toList());
    var r = video.representations().get(0);
    assertEquals("avc1.64001f", r.codecs());
    assertEquals(1280, r.width());
    assertEquals(720, r.height());
    assertEquals("30", r.frameRate());
    assertEquals(3_300_000L, r.bandwidth(), "the HLS BANDWIDTH less the audio rendition's");
    assertEquals(
        140_800L,
        mpd(false).periods().get(1).adaptationSets().get(1).representations().get(0).bandwidth());
  }

  @Test
  void producerReferenceTimeMapsMediaTimeZeroToTheRunAnchor() {
    var prt = mpd(false).periods().get(1).adaptationSets().get(0).producerReferenceTime();
    assertEquals(Instant.ofEpochMilli(ANCHOR + 5_000), prt.wallClockTime());
    assertEquals(0L, prt.presentationTime());
    assertTrue(prt.inband());
    assertEquals(0, mpd(false).serviceDescription().referenceId());
  }

  @Test
  void startNumberStaysWhileTheWindowSlides() {
    HeadwaterConfig d = HeadwaterConfig.defaults();
    HeadwaterConfig.Hls h = d.hls();
    config =
        new HeadwaterConfig(
            d.http(),
            d.rtmp(),
            d.ingest(),
            d.ffmpeg(),
            d.ladder(),
            d.audio(),
            new HeadwaterConfig.Hls(
                h.partTargetSeconds(),
                h.segmentTargetSeconds(),
                h.partHoldBackParts(),
                6,
                2,
                h.skipBoundarySeconds(),
                h.endedStreamRetentionSeconds(),
                h.maxFmp4BoxBytes(),
                h.startVariant()),
            d.demo(),
            d.dataDir(),
            d.transport(),
            d.metrics(),
            d.dash(),
            d.recording(),
            d.dvr(),
            d.cluster());
    RenditionTimeline t = new RenditionTimeline(V360, 6, 2);
    t.startRun(videoInit(1, 360), ANCHOR);
    for (int i = 0; i < 12; i++) {
      segment(t, 18_000, i * 180_000L, 10);
    }
    StreamSnapshot s =
        new StreamSnapshot(
            "demo", "SESSION", 1, Instant.ofEpochMilli(STARTED), List.of(t.snapshot()), false);
    Mpd m = new MpdAssembler(config).mpd(s, "", PUBLISHED);
    assertTrue(s.rendition("360p").window().get(0).msn() >= 4, "early segments left");
    DashPeriod p = m.periods().get(0);
    assertEquals(1_000L, p.startMillis());
    assertEquals(0L, p.adaptationSets().get(0).template().startNumber(), "segment k at k × 2 s");
    assertEquals(12_000L, m.timeShiftBufferDepthMillis());
  }

  @Test
  void endedStreamTurnsStaticWithPeriodsEndToEnd() {
    for (RenditionTimeline t : List.of(v720, v360, audio)) {
      t.end();
    }
    Mpd m = mpd(true);
    assertFalse(m.dynamic());
    assertNull(m.availabilityStartTime());
    assertNull(m.minimumUpdatePeriodMillis());
    assertNull(m.serviceDescription());
    assertTrue(m.utcTimings().isEmpty());
    assertEquals(List.of("run1", "run2"), m.periods().stream().map(DashPeriod::id).toList());
    assertEquals(0L, m.periods().get(0).startMillis());
    assertEquals(4_000L, m.periods().get(0).durationMillis());
    assertEquals(4_000L, m.periods().get(1).startMillis(), "no gap in a static presentation");
    assertEquals(600L, m.periods().get(1).durationMillis());
    assertEquals(4_600L, m.mediaPresentationDurationMillis());
    DashSegmentTemplate t = m.periods().get(1).adaptationSets().get(0).template();
    assertEquals(2L, t.startNumber());
    assertNull(t.availabilityTimeOffset());
    assertNull(t.availabilityTimeComplete());
  }

  @Test
  void droppedRenditionIsNotOfferedWhileLive() {
    v720.end();
    Mpd m = mpd(false);
    for (DashPeriod p : m.periods()) {
      assertEquals(
          List.of("360p"),
          p.adaptationSets().get(0).representations().stream().map(r -> r.id()).toList());
    }
  }

  @Test
  void rendersWithTheWriter() {
    String text = MpdWriter.write(mpd(false));
    assertTrue(text.contains("<Period id=\"run2\" start=\"PT6S\">"), text);
    assertTrue(text.contains("availabilityTimeOffset=\"1.966\""), text);
  }

  @Test
  void frameRatesAreIntegersOrRatios() {
    assertEquals("30", MpdAssembler.frameRate(30));
    assertEquals("30000/1001", MpdAssembler.frameRate(30000 / 1001.0));
  }
}
