package dev.headwater.serve;

import dev.headwater.media.hls.AudioRendition;
import dev.headwater.media.hls.HlsSegment;
import dev.headwater.media.hls.MediaPlaylist;
import dev.headwater.media.hls.MultivariantPlaylist;
import dev.headwater.media.hls.Variant;
import dev.headwater.record.RecordedSegment;
import dev.headwater.record.Recording;
import dev.headwater.record.RecordingEntry;
import dev.headwater.timeline.RenditionSnapshot;
import dev.headwater.timeline.TimelineSegment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The DVR playlists of a live stream: the live stream's own segment URLs over the last {@code
 * dvr.windowMinutes}, older ones from the recording, the newest from memory. No parts and no
 * blocking: a viewer who rewinds does not need low latency, and the live playlist stays short.
 *
 * <p>MSNs are the live ones. A group the recorder had to drop is listed as an EXT-X-GAP segment
 * (§4.4.4.7), so every MSN keeps its segment (§6.2.2). While nothing has slid out of the window the
 * playlist is an EVENT playlist; once it slides it carries no type, as a live playlist.
 */
final class DvrAssembler {
  static final String PLAYLIST = "dvr.m3u8";

  private DvrAssembler() {}

  static MultivariantPlaylist multivariant(MultivariantPlaylist live) {
    List<Variant> variants = new ArrayList<>();
    for (Variant v : live.variants()) {
      variants.add(
          new Variant(
              dvrUri(v.uri()),
              v.bandwidth(),
              v.averageBandwidth(),
              v.codecs(),
              v.width(),
              v.height(),
              v.frameRate(),
              v.audioGroup()));
    }
    List<AudioRendition> audio = new ArrayList<>();
    for (AudioRendition a : live.audio()) {
      audio.add(
          new AudioRendition(
              a.groupId(), a.name(), dvrUri(a.uri()), a.isDefault(), a.language(), a.channels()));
    }
    return new MultivariantPlaylist(variants, audio, true);
  }

  private static String dvrUri(String mediaPlaylistUri) {
    return mediaPlaylistUri.substring(0, mediaPlaylistUri.lastIndexOf('/') + 1) + PLAYLIST;
  }

  /**
   * @param recording the session's recording, or null when it is not recorded
   * @param r the rendition's live snapshot
   * @param targetDuration the live playlists' (it never changes within a stream, §6.2.1)
   * @param ended the stream ended: ENDLIST once every segment is listed
   */
  static MediaPlaylist media(
      Recording recording,
      RenditionSnapshot r,
      int targetDuration,
      Instant now,
      double windowMinutes,
      boolean ended) {
    Instant cutoff = now.minusMillis(Math.round(windowMinutes * 60_000));
    String name = r.name();
    List<HlsSegment> segments = new ArrayList<>();
    long discontinuitiesBefore = 0;
    long firstRecorded = -1;
    long next = -1;
    int previousInit = Integer.MIN_VALUE;
    if (recording != null) {
      for (RecordingEntry e : recording.entries()) {
        RecordedSegment s = e.segments().get(name);
        if (s == null) {
          continue;
        }
        if (firstRecorded < 0) {
          firstRecorded = e.msn();
        }
        Instant end = s.programDateTime(e).plusMillis(Math.round(s.duration() * 1000));
        if (end.isBefore(cutoff)) {
          if (s.discontinuity()) {
            discontinuitiesBefore++;
          }
          continue;
        }
        boolean afterGap = next >= 0 && e.msn() > next;
        for (; next >= 0 && next < e.msn(); next++) {
          segments.add(gap(next, targetDuration));
        }
        String map = s.init() != previousInit ? VodAssembler.initUri(s.init()) : null;
        previousInit = s.init();
        segments.add(
            new HlsSegment(
                e.msn(),
                VodAssembler.segmentUri(e.msn()),
                s.duration(),
                true,
                List.of(),
                !segments.isEmpty() && (s.discontinuity() || afterGap),
                map,
                s.programDateTime(e),
                false));
        next = e.msn() + 1;
      }
    }
    for (TimelineSegment seg : r.segments()) {
      if (!seg.complete() || seg.msn() < next) {
        continue;
      }
      if (segments.isEmpty()
          && seg.programDateTime().plusMillis(Math.round(seg.duration() * 1000)).isBefore(cutoff)) {
        continue;
      }
      for (; next >= 0 && next < seg.msn(); next++) {
        segments.add(gap(next, targetDuration));
      }
      String map = seg.initId() != previousInit ? r.inits().get(seg.initId()).uri() : null;
      previousInit = seg.initId();
      segments.add(
          new HlsSegment(
              seg.msn(),
              seg.uri(),
              seg.duration(),
              true,
              List.of(),
              !segments.isEmpty() && seg.discontinuity(),
              map,
              seg.programDateTime(),
              false));
      next = seg.msn() + 1;
    }
    long first = segments.isEmpty() ? Math.max(0, next) : segments.get(0).msn();
    boolean slid = firstRecorded >= 0 ? first > firstRecorded : false;
    TimelineSegment lastLive = r.last();
    boolean complete = lastLive == null || lastLive.complete();
    boolean endList = ended && complete;
    return new MediaPlaylist(
        targetDuration,
        0,
        null,
        first,
        discontinuitiesBefore,
        segments,
        null,
        List.of(),
        endList,
        0,
        slid ? null : MediaPlaylist.EVENT);
  }

  private static HlsSegment gap(long msn, int targetDuration) {
    return new HlsSegment(
        msn,
        VodAssembler.segmentUri(msn),
        targetDuration,
        true,
        List.of(),
        false,
        null,
        null,
        true);
  }
}
