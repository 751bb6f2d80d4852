package dev.headwater.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headwater.media.dash.DashAdaptationSet;
import dev.headwater.media.dash.DashPeriod;
import dev.headwater.media.dash.DashRepresentation;
import dev.headwater.media.dash.DashSegmentTemplate;
import dev.headwater.media.dash.DashTimelineEntry;
import dev.headwater.media.dash.Mpd;
import dev.headwater.media.dash.MpdWriter;
import dev.headwater.media.hls.HlsSegment;
import dev.headwater.record.RecordedRendition;
import dev.headwater.record.RecordedSegment;
import dev.headwater.record.Recording;
import dev.headwater.record.RecordingEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The static MPD of a recording, built from a hand-made {@link Recording}: an encoder run of three
 * segments (the last one short), a restart (run 2) of two, then a group the recorder dropped and
 * two more of run 2. Video on a 15360 timescale, audio at 48 kHz with AAC-frame-sized durations
 * that differ from segment to segment, as FFmpeg's do.
 */
class VodMpdAssemblerTest {
  private static final Path GOLDEN = Path.of("src", "test", "resources", "golden", "dash");
  private static final Instant STARTED = Instant.parse("2026-01-02T03:04:05.678Z");
  private static final long VIDEO_TS = 15_360;
  private static final long AUDIO_TS = 48_000;
  private static final List<RecordedRendition> RENDITIONS =
      List.of(
          new RecordedRendition(
              "360p", false, 910_800, 800_000, 30, "avc1.64001e", 640, 360, VIDEO_TS, 0),
          new RecordedRendition(
              "240p", false, 525_800, 460_000, 29.97, "avc1.640015", 426, 240, VIDEO_TS, 0),
          new RecordedRendition(
              "audio", true, 140_800, 140_800, 0, "mp4a.40.2", 0, 0, AUDIO_TS, 2));

  /** Media time of the next segment, per rendition, while building a run. */
  private final Map<String, Long> next = new LinkedHashMap<>();

  private final List<RecordingEntry> entries = new ArrayList<>();

  private void startRun() {
    for (RecordedRendition x : RENDITIONS) {
      next.put(x.name(), 0L);
    }
  }

  /** Drops a group: its media time passes, its MSN is never recorded. */
  private void drop(long videoTicks, long audioTicks) {
    for (RecordedRendition x : RENDITIONS) {
      next.merge(x.name(), x.audio() ? audioTicks : videoTicks, Long::sum);
    }
  }

  /**
   * Adds group {@code msn}: every rendition's segment of run {@code init}, each a discontinuity
   * where its rendition changed runs or MSNs skipped, as the recorder marks them.
   */
  private void add(long msn, boolean discontinuity, int init, long videoTicks, long audioTicks) {
    RecordingEntry last = entries.isEmpty() ? null : entries.get(entries.size() - 1);
    Map<String, RecordedSegment> segments = new LinkedHashMap<>();
    for (RecordedRendition x : RENDITIONS) {
      long d = x.audio() ? audioTicks : videoTicks;
      long start = next.get(x.name());
      boolean own =
          last != null && (last.msn() != msn - 1 || last.segments().get(x.name()).init() != init);
      segments.put(
          x.name(),
          new RecordedSegment(init, d / (double) x.timescale(), d, start, 1000 + msn, own));
      next.put(x.name(), start + d);
    }
    entries.add(
        new RecordingEntry(msn, discontinuity, STARTED.plusSeconds(2 * msn), Map.copyOf(segments)));
  }

  private Recording threePeriods() {
    startRun();
    add(0, false, 1, 30_720, 96_256);
    add(1, false, 1, 30_720, 95_232);
    add(2, false, 1, 23_040, 72_704);
    startRun();
    add(3, true, 2, 30_720, 96_256);
    add(4, false, 2, 30_720, 95_232);
    drop(30_720, 96_256);
    add(6, true, 2, 30_720, 95_232);
    add(7, false, 2, 30_720, 96_256);
    return new Recording("rec", "s1", STARTED, RENDITIONS, entries, true);
  }

  @Test
  void splitsPeriodsAtEachDiscontinuityAndLaysThemEndToEnd() {
    Recording r = threePeriods();
    Mpd mpd = VodMpdAssembler.mpd(r);
    assertFalse(mpd.dynamic());
    assertEquals(List.of(Mpd.PROFILE_LIVE, Mpd.PROFILE_CMAF), mpd.profiles());
    List<DashPeriod> periods = mpd.periods();
    assertEquals(List.of("p0", "p3", "p6"), periods.stream().map(DashPeriod::id).toList());
    // Run 1: video 5.5 s, audio 96256+95232+72704 = 264192 ticks = 5.504 s: the longer counts.
    // Run 2 before the gap: video 4 s, audio 191488 ticks = 3.98933 s.
    // After the hole, audio resumes 5.3 ms before the video (287744/48000 against 92160/15360 s):
    // the Period starts with the audio, and the video's last sample ends 4.0053 s after it.
    assertEquals(List.of(5_504L, 4_000L, 4_006L), durations(periods));
    assertEquals(
        List.of(0L, 5_504L, 9_504L), periods.stream().map(DashPeriod::startMillis).toList());
    assertEquals(13_510L, mpd.mediaPresentationDurationMillis());
  }

  @Test
  void mediaPresentationDurationCoversEveryRenditionsMedia() {
    Recording r = threePeriods();
    Mpd mpd = VodMpdAssembler.mpd(r);
    long sum = 0;
    for (Long d : durations(mpd.periods())) {
      sum += d;
    }
    assertEquals(sum, mpd.mediaPresentationDurationMillis());
    double longest = 0;
    for (RecordedRendition x : RENDITIONS) {
      double seconds = 0;
      for (RecordingEntry e : r.entries()) {
        seconds += e.segments().get(x.name()).duration();
      }
      assertTrue(seconds * 1000 <= sum, x.name() + ": " + seconds + " s fit in " + sum + " ms");
      longest = Math.max(longest, seconds);
    }
    // Per Period the longest rendition, rounded up to the millisecond: the catalogue's duration
    // (the longest rendition over the whole recording) within a few ms a Period.
    assertEquals(
        r.duration() * 1000, sum, 20.0 * mpd.periods().size(), sum + " vs " + r.duration());
    assertTrue(sum - longest * 1000 < 20, sum + " ms against " + longest + " s");
    // The longest segment (2.0053 s of audio) bounds maxSegmentDuration and minBufferTime.
    assertEquals(2_006L, mpd.maxSegmentDurationMillis());
    assertEquals(2_006L, mpd.minBufferTimeMillis());
  }

  @Test
  void numbersEachSegmentByItsMsnWithItsExactTimes() {
    Recording r = threePeriods();
    Mpd mpd = VodMpdAssembler.mpd(r);
    for (RecordedRendition x : RENDITIONS) {
      List<Long> listed = new ArrayList<>();
      for (DashPeriod p : mpd.periods()) {
        DashSegmentTemplate t = template(p, x.name());
        assertEquals(x.timescale(), t.timescale());
        assertEquals(0, t.duration(), "no @duration beside a SegmentTimeline");
        long n = t.startNumber();
        // The timeline, expanded: segment startNumber + i is the recorded segment of that MSN,
        // with its start and duration.
        for (long[] startAndDuration : expand(t.timeline())) {
          RecordedSegment s = r.entry(n).segments().get(x.name());
          assertEquals(s.startTicks(), startAndDuration[0], x.name() + " " + n);
          assertEquals(s.durationTicks(), startAndDuration[1], x.name() + " " + n);
          assertEquals("$RepresentationID$/init-" + s.init() + ".mp4", t.initialization());
          listed.add(n++);
        }
      }
      assertEquals(
          r.entries().stream().map(RecordingEntry::msn).toList(),
          listed,
          x.name() + ": every recorded segment once, in order");
    }
    // Video run-length codes equal durations; the second Period's video timeline restarts at 0.
    assertEquals(
        List.of(new DashTimelineEntry(0L, 30_720, 1), new DashTimelineEntry(null, 23_040, 0)),
        template(mpd.periods().get(0), "360p").timeline());
    assertEquals(3, template(mpd.periods().get(1), "audio").startNumber());
    assertEquals(
        List.of(new DashTimelineEntry(0L, 30_720, 1)),
        template(mpd.periods().get(1), "360p").timeline());
    // After the dropped group, the Period starts where the media resumes.
    DashSegmentTemplate afterHole = template(mpd.periods().get(2), "240p");
    assertEquals(6, afterHole.startNumber());
    assertEquals(List.of(new DashTimelineEntry(92_160L, 30_720, 1)), afterHole.timeline());
    // One offset for the Period, the audio's start: floor(287744 · 15360 / 48000) video ticks.
    assertEquals(92_078L, afterHole.presentationTimeOffset());
    assertEquals(287_744L, template(mpd.periods().get(2), "audio").presentationTimeOffset());
  }

  /**
   * At a reconnect the audio's last 43 ms of the old run close as a segment of their own, one MSN
   * after the video started the new run (seen in RecordingIT): each rendition goes to the Period of
   * its own run, and the new run's audio and video both start at the Period start.
   */
  @Test
  void putsEachSegmentInThePeriodOfItsOwnRun() {
    startRun();
    add(0, false, 1, 30_720, 96_256);
    add(1, false, 1, 30_720, 95_232);
    Map<String, RecordedSegment> straddling = new LinkedHashMap<>();
    straddling.put("360p", new RecordedSegment(2, 2.0, 30_720, 0, 1, true));
    straddling.put("240p", new RecordedSegment(2, 2.0, 30_720, 0, 1, true));
    straddling.put("audio", new RecordedSegment(1, 2_048 / 48_000.0, 2_048, 191_488, 1, false));
    entries.add(new RecordingEntry(2, true, STARTED.plusSeconds(5), straddling));
    next.put("360p", 30_720L);
    next.put("240p", 30_720L);
    next.put("audio", 0L);
    add(3, true, 2, 30_720, 96_256);
    add(4, false, 2, 30_720, 95_232);
    Recording r = new Recording("rec", "s1", STARTED, RENDITIONS, entries, true);
    Mpd mpd = VodMpdAssembler.mpd(r);
    assertEquals(List.of("p0", "p2"), mpd.periods().stream().map(DashPeriod::id).toList());
    DashPeriod first = mpd.periods().get(0);
    assertEquals(List.of(new DashTimelineEntry(0L, 30_720, 1)), template(first, "360p").timeline());
    assertEquals(
        List.of(
            new DashTimelineEntry(0L, 96_256, 0),
            new DashTimelineEntry(null, 95_232, 0),
            new DashTimelineEntry(null, 2_048, 0)),
        template(first, "audio").timeline());
    // The old run's audio lasts 193536 ticks = 4.032 s, its video 4 s.
    assertEquals(4_032L, first.durationMillis());
    DashPeriod second = mpd.periods().get(1);
    assertEquals(2, template(second, "360p").startNumber());
    assertEquals(3, template(second, "audio").startNumber());
    assertEquals(0, template(second, "360p").presentationTimeOffset());
    assertEquals(0, template(second, "audio").presentationTimeOffset());
    assertEquals("$RepresentationID$/init-2.mp4", template(second, "audio").initialization());
    assertEquals(6_000L, second.durationMillis());
  }

  /**
   * Where a hole and a run change meet in one entry, with the audio still in the old run: that tail
   * gets a Period of its own, before the new run's, with an id of its own (§5.3.2.2).
   */
  @Test
  void ordersAndNamesTwoPeriodsThatStartInOneEntry() {
    startRun();
    add(0, false, 1, 30_720, 96_256);
    add(1, false, 1, 30_720, 95_232);
    Map<String, RecordedSegment> straddling = new LinkedHashMap<>();
    straddling.put("360p", new RecordedSegment(2, 2.0, 30_720, 0, 1, true));
    straddling.put("240p", new RecordedSegment(2, 2.0, 30_720, 0, 1, true));
    straddling.put("audio", new RecordedSegment(1, 2_048 / 48_000.0, 2_048, 287_744, 1, true));
    entries.add(new RecordingEntry(3, true, STARTED.plusSeconds(7), straddling));
    next.put("360p", 30_720L);
    next.put("240p", 30_720L);
    next.put("audio", 0L);
    add(4, true, 2, 30_720, 96_256);
    Recording r = new Recording("rec", "s1", STARTED, RENDITIONS, entries, true);
    Mpd mpd = VodMpdAssembler.mpd(r);
    assertEquals(List.of("p0", "p3", "p3r2"), mpd.periods().stream().map(DashPeriod::id).toList());
    DashPeriod tail = mpd.periods().get(1);
    assertEquals(1, tail.adaptationSets().size());
    assertEquals("audio", tail.adaptationSets().get(0).contentType());
    assertEquals(43L, tail.durationMillis());
    assertEquals(3, template(mpd.periods().get(2), "360p").startNumber());
    assertEquals(4, template(mpd.periods().get(2), "audio").startNumber());
  }

  /** Audio that starts 20 ms after the video keeps its 20 ms: one offset per Period. */
  @Test
  void keepsRenditionsInSyncWhenOneStartsLater() {
    startRun();
    next.put("audio", 960L);
    add(0, false, 1, 30_720, 96_256);
    add(1, false, 1, 30_720, 95_232);
    Recording r = new Recording("rec", "s1", STARTED, RENDITIONS, entries, true);
    Mpd mpd = VodMpdAssembler.mpd(r);
    assertEquals(0, template(mpd.periods().get(0), "audio").presentationTimeOffset());
    assertEquals(
        960L, template(mpd.periods().get(0), "audio").timeline().get(0).time().longValue());
    // Audio ends at 960 + 191488 ticks = 4.0093 s.
    assertEquals(4_010L, mpd.mediaPresentationDurationMillis());
  }

  @Test
  void addressesTheFilesTheHlsReplayLists() {
    Recording r = threePeriods();
    Mpd mpd = VodMpdAssembler.mpd(r);
    for (RecordedRendition x : RENDITIONS) {
      List<String> hls = new ArrayList<>();
      for (HlsSegment s : VodAssembler.media(r, x.name()).segments()) {
        hls.add(x.name() + "/" + s.uri());
      }
      List<String> dash = new ArrayList<>();
      for (DashPeriod p : mpd.periods()) {
        DashSegmentTemplate t = template(p, x.name());
        long n = t.startNumber();
        for (long[] ignored : expand(t.timeline())) {
          dash.add(t.media().replace("$RepresentationID$", x.name()).replace("$Number$", "" + n++));
        }
      }
      assertEquals(hls, dash, x.name());
    }
  }

  @Test
  void describesEachRenditionFromTheRecording() {
    Mpd mpd = VodMpdAssembler.mpd(threePeriods());
    for (DashPeriod p : mpd.periods()) {
      assertEquals(2, p.adaptationSets().size());
      DashAdaptationSet video = p.adaptationSets().get(0);
      assertEquals("video", video.contentType());
      assertEquals(
          List.of(
              new DashRepresentation("360p", 770_000, "avc1.64001e", 640, 360, "30", 0, null),
              new DashRepresentation(
                  "240p", 385_000, "avc1.640015", 426, 240, "30000/1001", 0, null)),
          video.representations(),
          "the video renditions share one timeline, hoisted to the AdaptationSet");
      DashAdaptationSet audio = p.adaptationSets().get(1);
      assertEquals("audio", audio.contentType());
      DashRepresentation a = audio.representations().get(0);
      assertEquals("audio", a.id());
      assertEquals(140_800, a.bandwidth());
      assertEquals("mp4a.40.2", a.codecs());
      assertEquals(48_000, a.audioSamplingRate());
      assertNull(a.frameRate());
      assertEquals(2, audio.audioChannels(), "the recorded init section's channels");
      assertEquals(0, video.audioChannels());
    }
  }

  @Test
  void leavesOutTheChannelsARecordingDoesNotKnowOrCicpCannotSay() {
    Recording r = threePeriods();
    for (int channels : new int[] {0, 6}) {
      List<RecordedRendition> renditions =
          r.renditions().stream()
              .map(
                  x ->
                      x.audio()
                          ? new RecordedRendition(
                              x.name(),
                              true,
                              x.peakBandwidth(),
                              x.averageBandwidth(),
                              x.frameRate(),
                              x.codec(),
                              0,
                              0,
                              x.timescale(),
                              channels)
                          : x)
              .toList();
      Mpd mpd =
          VodMpdAssembler.mpd(
              new Recording(r.name(), r.session(), r.startedAt(), renditions, r.entries(), true));
      for (DashPeriod p : mpd.periods()) {
        assertEquals(0, p.adaptationSets().get(1).audioChannels(), channels + " channels");
      }
      assertFalse(MpdWriter.write(mpd).contains("AudioChannelConfiguration"));
    }
  }

  @Test
  void startsAPeriodWhereMsnsSkipOrTheInitChangesWhateverTheFlagSays() {
    startRun();
    add(10, false, 1, 30_720, 96_256);
    add(11, true, 1, 30_720, 95_232);
    add(13, false, 1, 30_720, 96_256);
    startRun();
    add(14, false, 2, 30_720, 95_232);
    Recording r = new Recording("rec", "s1", STARTED, RENDITIONS, entries, true);
    Mpd mpd = VodMpdAssembler.mpd(r);
    assertEquals(List.of("p10", "p13", "p14"), mpd.periods().stream().map(DashPeriod::id).toList());
    assertEquals(13, template(mpd.periods().get(1), "audio").startNumber());
    assertEquals(
        "$RepresentationID$/init-2.mp4", template(mpd.periods().get(2), "360p").initialization());
  }

  @Test
  void writesAnSWithTimeWhereMediaTimeJumpsInsideAPeriod() {
    startRun();
    add(0, false, 1, 30_720, 96_256);
    drop(512, 1_024);
    add(1, false, 1, 30_720, 95_232);
    Recording r = new Recording("rec", "s1", STARTED, RENDITIONS, entries, true);
    DashSegmentTemplate video = template(VodMpdAssembler.mpd(r).periods().get(0), "360p");
    assertEquals(
        List.of(new DashTimelineEntry(0L, 30_720, 0), new DashTimelineEntry(31_232L, 30_720, 0)),
        video.timeline());
  }

  @Test
  void refusesARecordingStillGoingOrEmpty() {
    Recording going = threePeriods();
    Recording live =
        new Recording(going.name(), going.session(), STARTED, RENDITIONS, going.entries(), false);
    assertThrows(IllegalArgumentException.class, () -> VodMpdAssembler.mpd(live));
    Recording empty = new Recording("rec", "s1", STARTED, RENDITIONS, List.of(), true);
    assertThrows(IllegalArgumentException.class, () -> VodMpdAssembler.mpd(empty));
  }

  @Test
  void matchesTheGoldenFile() throws IOException {
    String text = MpdWriter.write(VodMpdAssembler.mpd(threePeriods()));
    Path file = GOLDEN.resolve("vod-static.mpd");
    if (Boolean.getBoolean("golden.update")) {
      Files.writeString(file, text, StandardCharsets.UTF_8);
      return;
    }
    assertTrue(
        Files.exists(file), "missing " + file + "; run with -Dgolden.update=true and review it");
    assertEquals(Files.readString(file, StandardCharsets.UTF_8), text);
  }

  private static List<Long> durations(List<DashPeriod> periods) {
    return periods.stream().map(DashPeriod::durationMillis).toList();
  }

  /** A rendition's template in a Period, on its AdaptationSet or on itself. */
  private static DashSegmentTemplate template(DashPeriod p, String rendition) {
    for (DashAdaptationSet a : p.adaptationSets()) {
      for (DashRepresentation r : a.representations()) {
        if (r.id().equals(rendition)) {
          return r.template() != null ? r.template() : a.template();
        }
      }
    }
    throw new AssertionError("no " + rendition + " in " + p.id());
  }

  /** Each segment of a timeline as {start, duration}, by 23009-1 §5.3.9.6's rules for t and r. */
  private static List<long[]> expand(List<DashTimelineEntry> timeline) {
    List<long[]> out = new ArrayList<>();
    long t = 0;
    for (DashTimelineEntry s : timeline) {
      if (s.time() != null) {
        t = s.time();
      }
      for (long i = 0; i < s.count(); i++) {
        out.add(new long[] {t, s.duration()});
        t += s.duration();
      }
    }
    return out;
  }
}
