package dev.headwater.serve;

import dev.headwater.media.hls.AudioRendition;
import dev.headwater.media.hls.HlsSegment;
import dev.headwater.media.hls.MediaPlaylist;
import dev.headwater.media.hls.MultivariantPlaylist;
import dev.headwater.media.hls.Variant;
import dev.headwater.record.RecordedRendition;
import dev.headwater.record.RecordedSegment;
import dev.headwater.record.Recording;
import dev.headwater.record.RecordingEntry;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the playlists of a recording: a multivariant playlist like the live one, and per rendition
 * a media playlist of every recorded segment with its EXT-X-MAP and discontinuities. A finished
 * recording is a VOD playlist (EXT-X-PLAYLIST-TYPE:VOD and ENDLIST); one still being recorded is an
 * EVENT playlist that only grows.
 */
final class VodAssembler {
  private VodAssembler() {}

  static MultivariantPlaylist multivariant(Recording r) {
    String audioCodec = null;
    List<AudioRendition> audio = new ArrayList<>();
    for (RecordedRendition x : r.renditions()) {
      if (x.audio()) {
        audioCodec = x.codec();
        audio.add(
            new AudioRendition(
                PlaylistAssembler.AUDIO_GROUP,
                "Main",
                PlaylistAssembler.mediaPlaylistUri(x.name()),
                true,
                null,
                2));
      }
    }
    List<Variant> variants = new ArrayList<>();
    for (RecordedRendition x : r.renditions()) {
      if (!x.audio()) {
        variants.add(
            new Variant(
                PlaylistAssembler.mediaPlaylistUri(x.name()),
                x.peakBandwidth(),
                x.averageBandwidth(),
                audioCodec == null ? x.codec() : x.codec() + "," + audioCodec,
                x.width(),
                x.height(),
                x.frameRate(),
                audioCodec == null ? null : PlaylistAssembler.AUDIO_GROUP));
      }
    }
    return new MultivariantPlaylist(variants, audio, true);
  }

  /**
   * The media playlist of one rendition. A group the recorder had to drop leaves a hole in the
   * recorded MSNs: the playlist numbers its segments contiguously (§6.2.2 forbids holes) and keeps
   * each segment's own URI, with a discontinuity after the hole.
   */
  static MediaPlaylist media(Recording r, String rendition) {
    List<RecordingEntry> entries = r.entries();
    long first = entries.isEmpty() ? 0 : entries.get(0).msn();
    List<HlsSegment> segments = new ArrayList<>(entries.size());
    int previousInit = Integer.MIN_VALUE;
    double longest = 0;
    for (RecordingEntry e : entries) {
      RecordedSegment s = e.segments().get(rendition);
      if (s == null) {
        // Another rendition's last segment, recorded after this one ended.
        continue;
      }
      String map = s.init() != previousInit ? initUri(s.init()) : null;
      previousInit = s.init();
      longest = Math.max(longest, s.duration());
      segments.add(
          new HlsSegment(
              first + segments.size(),
              segmentUri(e.msn()),
              s.duration(),
              true,
              List.of(),
              !segments.isEmpty() && s.discontinuity(),
              map,
              s.programDateTime(e),
              false));
    }
    // §4.4.3.1: every EXTINF rounded to the nearest integer is at most the target duration.
    int target = (int) Math.max(1, Math.round(longest));
    return new MediaPlaylist(
        target,
        0,
        null,
        first,
        0,
        segments,
        null,
        List.of(),
        r.ended(),
        0,
        r.ended() ? MediaPlaylist.VOD : MediaPlaylist.EVENT);
  }

  static String initUri(int run) {
    return "init-" + run + ".mp4";
  }

  static String segmentUri(long msn) {
    return "s" + msn + ".m4s";
  }
}
