package dev.headwater.serve;

import dev.headwater.config.HeadwaterConfig;
import dev.headwater.media.dash.DashAdaptationSet;
import dev.headwater.media.dash.DashPeriod;
import dev.headwater.media.dash.DashRepresentation;
import dev.headwater.media.dash.DashSegmentTemplate;
import dev.headwater.media.dash.Mpd;
import dev.headwater.media.dash.ProducerReferenceTime;
import dev.headwater.media.dash.ServiceDescription;
import dev.headwater.media.dash.UtcTiming;
import dev.headwater.record.RecordedRendition;
import dev.headwater.record.RecordedSegment;
import dev.headwater.record.Recording;
import dev.headwater.record.RecordingEntry;
import dev.headwater.timeline.InitSection;
import dev.headwater.timeline.RenditionKind;
import dev.headwater.timeline.RenditionSnapshot;
import dev.headwater.timeline.StreamSnapshot;
import dev.headwater.timeline.TimelineSegment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a stream snapshot into an MPD model ({@link dev.headwater.media.dash.MpdWriter} renders
 * it), addressing the very segments the HLS playlists list.
 *
 * <h2>Why {@code SegmentTemplate@duration} with {@code $Number$}, not a SegmentTimeline</h2>
 *
 * A SegmentTimeline would carry each segment's exact {@code t}/{@code d}, and would survive a
 * passthrough source whose keyframes fall off the grid. But a client only requests what the
 * timeline lists, and dash.js (5.x, {@code TimelineSegmentsGetter}) and Shaka both stop at the last
 * {@code S} element: the segment still being produced is not listed (its duration is unknown until
 * it closes, and 23009-1 §5.4 forbids changing a listed segment in a later update), so they would
 * fetch it only after it completed and an MPD update announced it, a segment duration later than
 * low-latency DASH allows. With {@code @duration} the client derives segment numbers and their
 * availability from the clock (23009-1 §5.3.9.5.3), so with {@code availabilityTimeOffset} it asks
 * for segment N while N is being produced, which is how DASH-IF's low-latency guidelines, dash.js's
 * low-latency mode and Shaka's {@code lowLatencyMode} work. Segments are cut on one fixed grid
 * ({@code hls.segmentTargetSeconds}, keyframes forced on it), so segment {@code k} of an encoder
 * run starts at {@code k·duration}; a passthrough source must keep its keyframes on that grid, as
 * the HLS side already requires. As a bonus players need no MPD update per segment, so the MPD is
 * cheap for a CDN.
 *
 * <h2>Periods</h2>
 *
 * One Period per encoder run (a restart or a publisher reconnect starts a new run: new init
 * segment, timestamps from 0). While live, Period@start is the run's anchor (the wall-clock time of
 * its media time 0) relative to MPD@availabilityStartTime, the session start, so segment
 * availability follows the wall clock exactly; a finished run gets Period@duration (its media's
 * end), which leaves the outage between two runs as a gap no segment is promised for. When the
 * stream has ended the MPD turns static (as ENDLIST does for HLS), trimmed to the window with the
 * Periods laid end to end.
 */
public final class MpdAssembler {
  static final List<String> PROFILES = List.of(Mpd.PROFILE_LIVE, Mpd.PROFILE_CMAF);

  /** The time endpoint named by UTCTiming, relative to the MPD's origin. */
  public static final String TIME_PATH = "/time";

  /** AAC-LC frames carry 1024 samples: one CMAF chunk of audio. */
  private static final int AAC_FRAME_SAMPLES = 1024;

  private final HeadwaterConfig config;
  private final long segmentMillis;

  public MpdAssembler(HeadwaterConfig config) {
    this.config = config;
    this.segmentMillis = Math.round(config.hls().segmentTargetSeconds() * 1000);
  }

  /**
   * The MPD of a session. {@code prefix} goes before every media path: empty for the session's own
   * MPD URL, {@code "SESSION/"} for the name's.
   */
  public Mpd mpd(StreamSnapshot s, String prefix, Instant publishTime) {
    return mpd(s, prefix, publishTime, null);
  }

  /**
   * The same; with the session's {@code recording} (null: not recorded) a live MPD reaches back
   * {@code dvr.windowMinutes}: timeShiftBufferDepth covers it, encoder runs that left memory get
   * their Periods back from the recording, and their segments are served from it under the same
   * URLs.
   */
  public Mpd mpd(StreamSnapshot s, String prefix, Instant publishTime, Recording recording) {
    // As in the multivariant playlist: a rendition a re-planned ladder dropped is not offered
    // while the stream goes on.
    List<RenditionSnapshot> offered = new ArrayList<>();
    for (RenditionSnapshot r : s.renditions()) {
      if ((s.ended() || !r.ended()) && !r.isEmpty() && r.currentInit() != null) {
        offered.add(r);
      }
    }
    Map<Integer, Run> runs = runs(offered);
    return s.ended()
        ? staticMpd(s, runs, prefix, publishTime)
        : liveMpd(s, runs, prefix, publishTime, recording);
  }

  private Mpd liveMpd(
      StreamSnapshot s,
      Map<Integer, Run> runs,
      String prefix,
      Instant publishTime,
      Recording recording) {
    long ast = s.startedAt().toEpochMilli();
    long depth = (long) config.hls().windowSegments() * segmentMillis;
    List<DashPeriod> periods = new ArrayList<>();
    if (recording != null && config.dvr().windowMinutes() > 0) {
      depth = Math.max(depth, Math.round(config.dvr().windowMinutes() * 60_000));
      periods.addAll(
          recordedPeriods(
              recording, runs.keySet(), ast, prefix, publishTime.toEpochMilli() - depth));
    }
    List<Run> list = new ArrayList<>(runs.values());
    for (int i = 0; i < list.size(); i++) {
      Run run = list.get(i);
      boolean last = i == list.size() - 1;
      // The session starts before its first run is anchored; a run anchored earlier would be a
      // clock step, written as a start of 0 rather than an invalid negative one.
      long start = Math.max(0, run.anchorMillis - ast);
      periods.add(
          new DashPeriod(periodId(run.id), start, null, adaptationSets(run, prefix, true, !last)));
    }
    long maxSegment = segmentMillis;
    for (Run run : list) {
      maxSegment = Math.max(maxSegment, run.maxSegmentMillis());
    }
    HeadwaterConfig.Dash dash = config.dash();
    long target = Math.round(dash.targetLatencySeconds() * 1000);
    return new Mpd(
        true,
        PROFILES,
        Instant.ofEpochMilli(ast),
        publishTime,
        null,
        // Players learn new segments from the clock; they reload the MPD to learn about a new
        // Period (a reconnect) or the end of the stream: once a segment is soon enough.
        segmentMillis,
        minBufferMillis(),
        depth,
        target,
        maxSegment,
        new ServiceDescription(
            0, 0, target, null, null, dash.minPlaybackRate(), dash.maxPlaybackRate()),
        periods,
        List.of(utcTiming()));
  }

  private Mpd staticMpd(
      StreamSnapshot s, Map<Integer, Run> runs, String prefix, Instant publishTime) {
    List<DashPeriod> periods = new ArrayList<>();
    long start = 0;
    for (Run run : runs.values()) {
      long duration = run.endMillis() - run.firstStartMillis();
      periods.add(
          new DashPeriod(
              periodId(run.id), start, duration, adaptationSets(run, prefix, false, false)));
      start += duration;
    }
    return new Mpd(
        false,
        PROFILES,
        null,
        publishTime,
        start,
        null,
        minBufferMillis(),
        null,
        null,
        null,
        null,
        periods,
        List.of());
  }

  /**
   * Periods of the encoder runs that left memory but not the DVR window, from the recording: the
   * same {@code @duration} + {@code $Number$} addressing as a live run (segment {@code k} of a run
   * starts at {@code k·duration}), closed with {@code @endNumber}.
   */
  private List<DashPeriod> recordedPeriods(
      Recording recording,
      java.util.Set<Integer> inMemory,
      long ast,
      String prefix,
      long sinceMillis) {
    Map<Integer, RecordedRun> byRun = new TreeMap<>();
    for (RecordingEntry e : recording.entries()) {
      for (RecordedRendition x : recording.renditions()) {
        RecordedSegment seg = e.segments().get(x.name());
        if (seg != null && !inMemory.contains(seg.init())) {
          byRun.computeIfAbsent(seg.init(), RecordedRun::new).add(x, e, seg);
        }
      }
    }
    List<DashPeriod> out = new ArrayList<>();
    for (RecordedRun run : byRun.values()) {
      if (run.endMillis < sinceMillis || run.first.isEmpty()) {
        continue;
      }
      List<DashRepresentation> video = new ArrayList<>();
      DashRepresentation audio = null;
      long audioBandwidth = 0;
      for (RecordedRendition x : recording.renditions()) {
        if (x.audio() && run.first.containsKey(x.name())) {
          audioBandwidth = x.peakBandwidth();
        }
      }
      for (RecordedRendition x : recording.renditions()) {
        long[] first = run.first.get(x.name());
        if (first == null) {
          continue;
        }
        long duration = Math.round(config.hls().segmentTargetSeconds() * x.timescale());
        DashSegmentTemplate template =
            new DashSegmentTemplate(
                x.timescale(),
                duration,
                Math.max(0, first[0] - Math.round(first[1] / (double) duration)),
                run.last.get(x.name()),
                0,
                prefix + "$RepresentationID$/s$Number$.m4s",
                prefix + "$RepresentationID$/init-" + run.id + ".mp4",
                null,
                null);
        if (x.audio()) {
          audio =
              new DashRepresentation(
                  x.name(),
                  x.peakBandwidth(),
                  x.codec(),
                  0,
                  0,
                  null,
                  (int) x.timescale(),
                  template);
        } else {
          long bandwidth = x.peakBandwidth() - audioBandwidth;
          double fps = x.frameRate() > 0 ? x.frameRate() : config.ffmpeg().frameRate();
          video.add(
              new DashRepresentation(
                  x.name(),
                  bandwidth > 0 ? bandwidth : x.peakBandwidth(),
                  x.codec(),
                  x.width(),
                  x.height(),
                  frameRate(fps),
                  0,
                  template));
        }
      }
      List<DashAdaptationSet> sets = new ArrayList<>();
      if (!video.isEmpty()) {
        sets.add(hoist(0, "video", "video/mp4", 0, null, video));
      }
      if (audio != null) {
        sets.add(hoist(1, "audio", "audio/mp4", config.audio().channels(), null, List.of(audio)));
      }
      out.add(new DashPeriod(periodId(run.id), Math.max(0, run.anchorMillis - ast), null, sets));
    }
    return out;
  }

  /** One encoder run as the recording holds it: per rendition its first and last segment. */
  private static final class RecordedRun {
    final int id;
    long anchorMillis = Long.MAX_VALUE;
    long endMillis;

    /** Per rendition: {MSN, startTicks} of its first segment in the run. */
    final Map<String, long[]> first = new java.util.LinkedHashMap<>();

    final Map<String, Long> last = new java.util.HashMap<>();

    RecordedRun(int id) {
      this.id = id;
    }

    void add(RecordedRendition x, RecordingEntry e, RecordedSegment seg) {
      long pdt = seg.programDateTime(e).toEpochMilli();
      if (first.putIfAbsent(x.name(), new long[] {e.msn(), seg.startTicks()}) == null) {
        // Media time 0 of the run: the first segment's wall clock less its media time.
        anchorMillis = Math.min(anchorMillis, pdt - seg.startTicks() * 1000 / x.timescale());
      }
      last.put(x.name(), e.msn());
      endMillis = Math.max(endMillis, pdt + Math.round(seg.duration() * 1000));
    }
  }

  private long minBufferMillis() {
    return Math.min(1000, segmentMillis);
  }

  static String periodId(int run) {
    return "run" + run;
  }

  private List<DashAdaptationSet> adaptationSets(
      Run run, String prefix, boolean live, boolean finished) {
    List<DashAdaptationSet> sets = new ArrayList<>();
    List<RenditionSnapshot> video = new ArrayList<>();
    RenditionSnapshot audio = null;
    for (RenditionSnapshot r : run.renditions) {
      if (r.spec().kind() == RenditionKind.VIDEO) {
        video.add(r);
      } else {
        audio = r;
      }
    }
    long audioBandwidth = audio == null ? 0 : audio.spec().peakBandwidth();
    ProducerReferenceTime prt = live ? prt(run) : null;
    if (!video.isEmpty()) {
      List<DashRepresentation> reps = new ArrayList<>();
      for (RenditionSnapshot r : video) {
        InitSection init = r.inits().get(run.id);
        double fps = r.spec().frameRate() > 0 ? r.spec().frameRate() : config.ffmpeg().frameRate();
        // 23009-1 §5.3.5.2: @bandwidth is this Representation's alone; the HLS BANDWIDTH of a
        // variant also counts the audio rendition played with it.
        long bandwidth = r.spec().peakBandwidth() - audioBandwidth;
        reps.add(
            new DashRepresentation(
                r.name(),
                bandwidth > 0 ? bandwidth : r.spec().peakBandwidth(),
                init.codec(),
                init.width(),
                init.height(),
                frameRate(fps),
                0,
                template(r, run, prefix, live, finished, chunkMillis(1000.0 / fps))));
      }
      sets.add(hoist(0, "video", "video/mp4", 0, prt, reps));
    }
    if (audio != null) {
      InitSection init = audio.inits().get(run.id);
      DashRepresentation rep =
          new DashRepresentation(
              audio.name(),
              audio.spec().peakBandwidth(),
              init.codec(),
              0,
              0,
              null,
              (int) init.timescale(),
              template(
                  audio,
                  run,
                  prefix,
                  live,
                  finished,
                  chunkMillis(AAC_FRAME_SAMPLES * 1000.0 / init.timescale())));
      sets.add(hoist(1, "audio", "audio/mp4", config.audio().channels(), prt, List.of(rep)));
    }
    return sets;
  }

  /** One SegmentTemplate on the AdaptationSet when every Representation's is the same. */
  static DashAdaptationSet hoist(
      int id,
      String contentType,
      String mimeType,
      int channels,
      ProducerReferenceTime prt,
      List<DashRepresentation> reps) {
    DashSegmentTemplate shared = reps.get(0).template();
    for (DashRepresentation r : reps) {
      if (!r.template().equals(shared)) {
        return new DashAdaptationSet(id, contentType, mimeType, null, channels, prt, null, reps);
      }
    }
    List<DashRepresentation> bare = new ArrayList<>();
    for (DashRepresentation r : reps) {
      bare.add(
          new DashRepresentation(
              r.id(),
              r.bandwidth(),
              r.codecs(),
              r.width(),
              r.height(),
              r.frameRate(),
              r.audioSamplingRate(),
              null));
    }
    return new DashAdaptationSet(id, contentType, mimeType, null, channels, prt, shared, bare);
  }

  /**
   * The template addressing rendition {@code r}'s segments of one run.
   *
   * <p>Live: the Period starts at media time 0 of the run, so segment {@code k} of the run (on the
   * grid: media time {@code k·duration}) is number {@code startNumber + k}; startNumber is derived
   * from the earliest retained segment of the run, so it stays the same while the window slides.
   *
   * <p>Static: the Period starts at the run's first segment in the window (presentationTimeOffset),
   * so a player starting at the beginning asks only for segments still there.
   */
  private DashSegmentTemplate template(
      RenditionSnapshot r,
      Run run,
      String prefix,
      boolean live,
      boolean finished,
      long chunkMillis) {
    InitSection init = r.inits().get(run.id);
    long timescale = init.timescale();
    long duration = Math.round(config.hls().segmentTargetSeconds() * timescale);
    TimelineSegment first = null;
    TimelineSegment lastOfRun = null;
    for (TimelineSegment seg : live ? r.segments() : r.window()) {
      if (seg.initId() == run.id) {
        first = first == null ? seg : first;
        lastOfRun = seg;
      }
    }
    long startNumber;
    long offset;
    if (live) {
      startNumber = Math.max(0, first.msn() - Math.round(first.startTicks() / (double) duration));
      offset = 0;
    } else {
      startNumber = first.msn();
      offset = first.startTicks();
    }
    // DASH-IF LL: availabilityTimeOffset = segment duration - chunk duration, with
    // availabilityTimeComplete="false" (23009-1 §5.3.9.2): segment N may be requested once its
    // first chunk exists, and arrives chunk by chunk as it is produced.
    Double ato = live ? (segmentMillis - chunkMillis) / 1000.0 : null;
    return new DashSegmentTemplate(
        timescale,
        duration,
        startNumber,
        finished ? Long.valueOf(lastOfRun.msn()) : null,
        offset,
        prefix + "$RepresentationID$/s$Number$.m4s",
        prefix + "$RepresentationID$/" + init.uri(),
        ato,
        live ? Boolean.FALSE : null);
  }

  /** A chunk's duration rounded up to the millisecond (a smaller offset is the safe side). */
  private long chunkMillis(double millis) {
    return Math.min(segmentMillis, (long) Math.ceil(millis - 1e-9));
  }

  /**
   * 23009-1 §5.12: media time 0 of the run was produced at its anchor. FFmpeg also writes a {@code
   * prft} box per chunk (inband) with its own wall clock when it wrote the chunk.
   */
  private ProducerReferenceTime prt(Run run) {
    return new ProducerReferenceTime(
        0, true, "encoder", Instant.ofEpochMilli(run.anchorMillis), 0, utcTiming());
  }

  private static UtcTiming utcTiming() {
    return new UtcTiming(UtcTiming.HTTP_ISO, TIME_PATH);
  }

  /** FrameRateType (23009-1 §5.3.12.2): an integer, or a ratio such as 30000/1001. */
  static String frameRate(double fps) {
    long whole = Math.round(fps);
    if (Math.abs(fps - whole) < 1e-6) {
      return Long.toString(whole);
    }
    return Math.round(fps * 1001) + "/1001";
  }

  /** The encoder runs with segments in the window, oldest first, and the renditions in each. */
  private static Map<Integer, Run> runs(List<RenditionSnapshot> renditions) {
    Map<Integer, Run> runs = new TreeMap<>();
    for (RenditionSnapshot r : renditions) {
      for (TimelineSegment seg : r.window()) {
        Run run = runs.computeIfAbsent(seg.initId(), id -> new Run(id, seg.anchorMillis()));
        run.add(r, seg);
      }
    }
    // Run ids grow with each run; order by anchor anyway, it is what Period@start follows.
    List<Run> ordered = new ArrayList<>(runs.values());
    ordered.sort((a, b) -> Long.compare(a.anchorMillis, b.anchorMillis));
    Map<Integer, Run> out = new java.util.LinkedHashMap<>();
    for (Run run : ordered) {
      out.put(run.id, run);
    }
    return out;
  }

  /** What the MPD needs to know of one encoder run. */
  private static final class Run {
    final int id;
    final long anchorMillis;
    final List<RenditionSnapshot> renditions = new ArrayList<>();
    private long endMillis;
    private long firstStartMillis = Long.MAX_VALUE;
    private long maxSegmentMillis;

    Run(int id, long anchorMillis) {
      this.id = id;
      this.anchorMillis = anchorMillis;
    }

    void add(RenditionSnapshot r, TimelineSegment seg) {
      if (!renditions.contains(r)) {
        renditions.add(r);
      }
      long ts = r.inits().get(id).timescale();
      long start = seg.startTicks() * 1000 / ts;
      long end = (long) Math.ceil((seg.startTicks() + seg.durationTicks()) * 1000.0 / ts);
      firstStartMillis = Math.min(firstStartMillis, start);
      endMillis = Math.max(endMillis, end);
      maxSegmentMillis =
          Math.max(maxSegmentMillis, (long) Math.ceil(seg.durationTicks() * 1000.0 / ts));
    }

    /** The end of the run's media, relative to its media time 0. */
    long endMillis() {
      return endMillis;
    }

    long firstStartMillis() {
      return firstStartMillis;
    }

    long maxSegmentMillis() {
      return maxSegmentMillis;
    }
  }
}
