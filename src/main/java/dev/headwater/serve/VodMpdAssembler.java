package dev.headwater.serve;

import dev.headwater.media.dash.DashAdaptationSet;
import dev.headwater.media.dash.DashPeriod;
import dev.headwater.media.dash.DashRepresentation;
import dev.headwater.media.dash.DashSegmentTemplate;
import dev.headwater.media.dash.DashTimelineEntry;
import dev.headwater.media.dash.Mpd;
import dev.headwater.record.RecordedRendition;
import dev.headwater.record.RecordedSegment;
import dev.headwater.record.Recording;
import dev.headwater.record.RecordingEntry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the static MPD of a finished recording from the {@link Recording} alone ({@link
 * dev.headwater.media.dash.MpdWriter} renders it), addressing the very files the HLS replay ({@link
 * VodAssembler}) lists: {@code REND/sMSN.m4s} and {@code REND/init-RUN.mp4}.
 *
 * <h2>Periods</h2>
 *
 * One Period per stretch of one encoder run without a hole in the recorded MSNs: an encoder restart
 * or a publisher reconnect starts a new run (new init section, timestamps from 0), and groups the
 * recorder dropped leave a hole in the MSNs and in media time. Each rendition's segment goes to the
 * Period of its own init run, not of its entry's: at a reconnect the audio's last few milliseconds
 * of the old run can close as a segment of their own, one MSN after the video already started the
 * new run, so an entry may hold segments of two runs. The Period is found from the init run and the
 * holes, which is what {@link RecordedSegment#discontinuity()} records per rendition, so a
 * recording stored before that flag existed (it then defaults to the group's) is split right too.
 * Within a Period a rendition's MSNs are contiguous, so {@code $Number$} addressing is exact; two
 * renditions may start a Period at different MSNs, each with its own {@code @startNumber}. A timing
 * jump that neither an init change nor a hole explains still shows, as an {@code S@t}.
 *
 * <p>Periods are laid end to end from 0 (the outage between two runs is not replayed, as the HLS
 * replay does not), each lasting until its last sample of any rendition, and
 * mediaPresentationDuration is their sum. The renditions of one run share its media time base, so
 * the Period starts at the earliest first sample of any rendition, in every rendition's timescale
 * (presentationTimeOffset): audio and video stay in sync even where one starts a little later.
 *
 * <h2>Why a SegmentTimeline here, when the live MPD uses {@code @duration}</h2>
 *
 * The live MPD needs {@code @duration} so that a low-latency client can ask for a segment while it
 * is produced (see {@link MpdAssembler}). A recording has no such segment: every one is stored and
 * its exact duration known ({@link RecordedSegment#durationTicks()}), so a SegmentTimeline states
 * each segment's real start and length (23009-1 §5.3.9.6) instead of a nominal grid a player would
 * drift from on a short last segment or a passthrough source cut off the grid. {@code $Number$}
 * addressing stays: segment {@code i} of the timeline is number {@code startNumber + i}
 * (§5.3.9.4.4), the segment's MSN and file name.
 */
final class VodMpdAssembler {
  /** The names {@link VodAssembler#segmentUri} gives, with the MSN as {@code $Number$}. */
  static final String MEDIA = "$RepresentationID$/s$Number$.m4s";

  private VodMpdAssembler() {}

  /** A segment of one rendition, with its MSN. */
  record Numbered(long msn, RecordedSegment segment) {}

  /**
   * What one Period holds: each rendition's segments, in MSN order.
   *
   * @param id Period@id: {@code p} and its first MSN
   */
  record Plan(String id, Map<String, List<Numbered>> segments) {}

  /** A Period's identity: how many MSN holes came before, and an encoder run. */
  private record Key(int holesBefore, int init) {}

  /**
   * The static MPD of {@code r}.
   *
   * @throws IllegalArgumentException if {@code r} has not ended or has no entry, or an entry lacks
   *     a rendition's segment (a recording lists only complete groups)
   */
  static Mpd mpd(Recording r) {
    if (!r.ended()) {
      throw new IllegalArgumentException("recording " + r.key() + " has not ended");
    }
    if (r.entries().isEmpty()) {
      throw new IllegalArgumentException("recording " + r.key() + " has no entry");
    }
    List<DashPeriod> periods = new ArrayList<>();
    long start = 0;
    long longestSegment = 1;
    for (Plan plan : plans(r)) {
      Map<String, Long> offsets = offsets(r, plan);
      long duration = 0;
      for (RecordedRendition x : r.renditions()) {
        List<Numbered> list = plan.segments().get(x.name());
        if (list == null) {
          continue;
        }
        RecordedSegment last = list.get(list.size() - 1).segment();
        long end = last.startTicks() + last.durationTicks() - offsets.get(x.name());
        duration = Math.max(duration, millisCeil(end, x.timescale()));
        for (Numbered n : list) {
          longestSegment =
              Math.max(longestSegment, millisCeil(n.segment().durationTicks(), x.timescale()));
        }
      }
      periods.add(new DashPeriod(plan.id(), start, duration, adaptationSets(r, plan, offsets)));
      start += duration;
    }
    return new Mpd(
        false,
        MpdAssembler.PROFILES,
        null,
        null,
        start,
        null,
        // §5.3.1.2 minBufferTime: with @bandwidth, how much to buffer before playing on without a
        // stall. A segment is fetched whole, so the longest one is the honest value.
        longestSegment,
        null,
        null,
        longestSegment,
        null,
        periods,
        List.of());
  }

  /** The Periods' contents, in the order they start. */
  static List<Plan> plans(Recording r) {
    Map<Key, Map<String, List<Numbered>>> byKey = new LinkedHashMap<>();
    Map<Key, Long> firstMsn = new LinkedHashMap<>();
    int holes = 0;
    RecordingEntry previous = null;
    for (RecordingEntry e : r.entries()) {
      if (previous != null && e.msn() != previous.msn() + 1) {
        holes++;
      }
      for (RecordedRendition x : r.renditions()) {
        RecordedSegment s = e.segments().get(x.name());
        if (s == null) {
          // A rendition that ended before this group: its segments stop here.
          continue;
        }
        Key key = new Key(holes, s.init());
        firstMsn.putIfAbsent(key, e.msn());
        List<Numbered> list =
            byKey
                .computeIfAbsent(key, k -> new LinkedHashMap<>())
                .computeIfAbsent(x.name(), k -> new ArrayList<>());
        if (!list.isEmpty() && list.get(list.size() - 1).msn() != e.msn() - 1) {
          // Only an init run that came back after another one could do this.
          throw new IllegalArgumentException(
              "rendition " + x.name() + " returns to init run " + s.init() + " at " + e.msn());
        }
        list.add(new Numbered(e.msn(), s));
      }
      previous = e;
    }
    // In time order: after a hole, then from its first MSN; where two runs first appear in one
    // entry (one rendition still in the old run), the older run first (run ids grow with each run).
    List<Key> keys = new ArrayList<>(byKey.keySet());
    keys.sort(
        Comparator.comparingInt(Key::holesBefore)
            .thenComparingLong(firstMsn::get)
            .thenComparingInt(Key::init));
    List<Plan> out = new ArrayList<>(keys.size());
    Set<String> ids = new HashSet<>();
    for (Key k : keys) {
      String id = "p" + firstMsn.get(k);
      // §5.3.2.2: Period@id unique within the MPD.
      if (!ids.add(id)) {
        id = id + "r" + k.init();
        ids.add(id);
      }
      out.add(new Plan(id, byKey.get(k)));
    }
    return out;
  }

  /**
   * Each rendition's presentationTimeOffset: the earliest first sample of any rendition of the
   * Period, in its timescale (rounded down, so that no rendition's first sample falls before the
   * Period start).
   */
  private static Map<String, Long> offsets(Recording r, Plan plan) {
    long refTicks = 0;
    long refScale = 0;
    for (RecordedRendition x : r.renditions()) {
      List<Numbered> list = plan.segments().get(x.name());
      if (list == null) {
        continue;
      }
      long t = list.get(0).segment().startTicks();
      if (refScale == 0 || t * refScale < refTicks * x.timescale()) {
        refTicks = t;
        refScale = x.timescale();
      }
    }
    Map<String, Long> out = new LinkedHashMap<>();
    for (RecordedRendition x : r.renditions()) {
      out.put(x.name(), Math.floorDiv(refTicks * x.timescale(), refScale));
    }
    return out;
  }

  private static List<DashAdaptationSet> adaptationSets(
      Recording r, Plan plan, Map<String, Long> offsets) {
    long audioBandwidth = 0;
    RecordedRendition audio = null;
    for (RecordedRendition x : r.renditions()) {
      if (x.audio()) {
        audio = x;
        audioBandwidth = x.peakBandwidth();
      }
    }
    List<DashAdaptationSet> sets = new ArrayList<>();
    List<DashRepresentation> video = new ArrayList<>();
    for (RecordedRendition x : r.renditions()) {
      if (x.audio() || !plan.segments().containsKey(x.name())) {
        continue;
      }
      // 23009-1 §5.3.5.2: @bandwidth is this Representation's alone; the recorded peak is the HLS
      // variant's BANDWIDTH, which also counts the audio played with it (as in the live MPD).
      long bandwidth = x.peakBandwidth() - audioBandwidth;
      video.add(
          new DashRepresentation(
              x.name(),
              bandwidth > 0 ? bandwidth : x.peakBandwidth(),
              x.codec(),
              x.width(),
              x.height(),
              x.frameRate() > 0 ? MpdAssembler.frameRate(x.frameRate()) : null,
              0,
              template(plan, x, offsets.get(x.name()))));
    }
    if (!video.isEmpty()) {
      sets.add(MpdAssembler.hoist(0, "video", "video/mp4", 0, null, video));
    }
    if (audio != null && plan.segments().containsKey(audio.name())) {
      DashRepresentation rep =
          new DashRepresentation(
              audio.name(),
              audio.peakBandwidth(),
              audio.codec(),
              0,
              0,
              null,
              // An AAC init section's timescale is its sampling rate (as in the live MPD).
              (int) audio.timescale(),
              template(plan, audio, offsets.get(audio.name())));
      // The channels, as in the live MPD (23009-1 §5.8.4.7; DASH-IF IOP part 8 for AAC): CICP
      // ChannelConfiguration 1 and 2 are one and two channels, what the encoder makes
      // (audio.channels); another count is not the same number in CICP, so it is left out.
      int channels = audio.channels() == 1 || audio.channels() == 2 ? audio.channels() : 0;
      sets.add(MpdAssembler.hoist(1, "audio", "audio/mp4", channels, null, List.of(rep)));
    }
    return sets;
  }

  /**
   * Rendition {@code x}'s segments of one Period: numbered from its first MSN there, its timeline
   * starting at the first segment's media time, each segment's exact duration, run-length coded.
   */
  private static DashSegmentTemplate template(Plan plan, RecordedRendition x, long offset) {
    List<Numbered> list = plan.segments().get(x.name());
    List<DashTimelineEntry> timeline = new ArrayList<>();
    RecordedSegment first = list.get(0).segment();
    long next = first.startTicks();
    Long time = first.startTicks();
    long d = 0;
    long repeat = -1;
    for (Numbered n : list) {
      RecordedSegment s = n.segment();
      boolean followsOn = s.startTicks() == next;
      if (repeat >= 0 && followsOn && s.durationTicks() == d) {
        repeat++;
      } else {
        if (repeat >= 0) {
          timeline.add(new DashTimelineEntry(time, d, repeat));
        }
        // §5.3.9.6: S@t only where the media time does not follow on from the previous S (the
        // first S gives it too: the Period starts at the offset, not at 0).
        time = repeat < 0 || !followsOn ? Long.valueOf(s.startTicks()) : null;
        d = s.durationTicks();
        repeat = 0;
      }
      next = s.startTicks() + s.durationTicks();
    }
    timeline.add(new DashTimelineEntry(time, d, repeat));
    return new DashSegmentTemplate(
        x.timescale(),
        0,
        list.get(0).msn(),
        null,
        offset,
        MEDIA,
        "$RepresentationID$/" + VodAssembler.initUri(first.init()),
        null,
        null,
        timeline);
  }

  /** Rounded up: a Period a little long leaves no sample out of it. */
  private static long millisCeil(long ticks, long timescale) {
    return (ticks * 1000 + timescale - 1) / timescale;
  }
}
