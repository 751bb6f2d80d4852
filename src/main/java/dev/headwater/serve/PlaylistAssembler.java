package dev.headwater.serve;

import dev.headwater.config.HeadwaterConfig;
import dev.headwater.media.hls.AudioRendition;
import dev.headwater.media.hls.HlsPart;
import dev.headwater.media.hls.HlsSegment;
import dev.headwater.media.hls.MediaPlaylist;
import dev.headwater.media.hls.MultivariantPlaylist;
import dev.headwater.media.hls.PlaylistPosition;
import dev.headwater.media.hls.PreloadHint;
import dev.headwater.media.hls.RenditionReport;
import dev.headwater.media.hls.ServerControl;
import dev.headwater.media.hls.Variant;
import dev.headwater.timeline.InitSection;
import dev.headwater.timeline.RenditionKind;
import dev.headwater.timeline.RenditionSnapshot;
import dev.headwater.timeline.StreamSnapshot;
import dev.headwater.timeline.TimelinePart;
import dev.headwater.timeline.TimelineSegment;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns timeline snapshots into playlist records (the writers in {@code media.hls} render them).
 * Every media playlist of a stream gets the same EXT-X-SERVER-CONTROL (RFC 8216bis 6.2.4) because
 * the values come from configuration only, never from a rendition's contents.
 */
public final class PlaylistAssembler {
  public static final String AUDIO_GROUP = "aud";
  private final HeadwaterConfig.Hls hls;

  public PlaylistAssembler(HeadwaterConfig.Hls hls) {
    this.hls = hls;
  }

  public int targetDuration() {
    return (int) Math.ceil(hls.segmentTargetSeconds());
  }

  /**
   * Three target durations: the longest a blocking request is held before 503 (RFC 8216bis
   * 6.2.5.2).
   */
  public long blockingTimeoutMillis() {
    return 3_000L * targetDuration();
  }

  public static String mediaPlaylistUri(String rendition) {
    return rendition + "/index.m3u8";
  }

  public MultivariantPlaylist multivariant(StreamSnapshot s) {
    List<Variant> variants = new ArrayList<>();
    List<AudioRendition> audio = new ArrayList<>();
    String audioCodec = null;
    // A rendition a re-planned ladder dropped (a smaller source after a reconnect) is ended while
    // the
    // stream goes on: new viewers are not offered it.
    List<RenditionSnapshot> offered =
        s.ended() ? s.renditions() : s.renditions().stream().filter(r -> !r.ended()).toList();
    for (RenditionSnapshot r : offered) {
      if (r.spec().kind() == RenditionKind.AUDIO) {
        audioCodec = r.currentInit().codec();
        audio.add(
            new AudioRendition(
                AUDIO_GROUP,
                "Main",
                s.sessionId() + "/" + mediaPlaylistUri(r.name()),
                true,
                null,
                2));
      }
    }
    for (RenditionSnapshot r : offered) {
      if (r.spec().kind() != RenditionKind.VIDEO) {
        continue;
      }
      InitSection init = r.currentInit();
      String codecs = audioCodec == null ? init.codec() : init.codec() + "," + audioCodec;
      variants.add(
          new Variant(
              s.sessionId() + "/" + mediaPlaylistUri(r.name()),
              r.spec().peakBandwidth(),
              r.spec().averageBandwidth(),
              codecs,
              init.width(),
              init.height(),
              r.spec().frameRate(),
              audioCodec == null ? null : AUDIO_GROUP));
    }
    // Players such as hls.js start on the first variant listed: hls.startVariant moves that rung
    // first
    // (a rung the source is too small for is simply not there).
    String start = mediaPlaylistUri(hls.startVariant());
    for (int i = 1; i < variants.size() && !hls.startVariant().isEmpty(); i++) {
      if (variants.get(i).uri().endsWith("/" + start)) {
        variants.add(0, variants.remove(i));
        break;
      }
    }
    return new MultivariantPlaylist(variants, audio, true);
  }

  public MediaPlaylist media(StreamSnapshot s, RenditionSnapshot r) {
    List<HlsSegment> segments = new ArrayList<>();
    List<TimelineSegment> window = r.window();
    int previousInit = Integer.MIN_VALUE;
    for (TimelineSegment seg : window) {
      List<HlsPart> parts = new ArrayList<>(seg.parts().size());
      for (TimelinePart p : seg.parts()) {
        parts.add(new HlsPart(p.uri(), p.duration(), p.independent(), false));
      }
      String map = seg.initId() != previousInit ? r.inits().get(seg.initId()).uri() : null;
      previousInit = seg.initId();
      segments.add(
          new HlsSegment(
              seg.msn(),
              seg.uri(),
              seg.duration(),
              seg.complete(),
              parts,
              seg.discontinuity(),
              map,
              seg.programDateTime(),
              false));
    }
    boolean ended = r.ended();
    ServerControl control =
        new ServerControl(
            true,
            hls.partHoldBackParts() * hls.partTargetSeconds(),
            0,
            ended ? 0 : hls.skipBoundarySeconds());
    List<RenditionReport> reports = new ArrayList<>();
    if (!ended) {
      for (RenditionSnapshot other : s.renditions()) {
        // Appendix B.1: one report per other Media Playlist of the multivariant set.
        if (other != r && !other.isEmpty()) {
          PlaylistPosition pos = position(other);
          reports.add(
              new RenditionReport(
                  "../" + mediaPlaylistUri(other.name()), pos.lastMsn(), pos.lastPartIndex()));
        }
      }
    }
    PreloadHint hint =
        ended ? null : new PreloadHint("PART", TimelinePart.uriFor(r.nextPartSequence()));
    long mediaSequence = window.isEmpty() ? 0 : window.get(0).msn();
    return new MediaPlaylist(
        targetDuration(),
        hls.partTargetSeconds(),
        control,
        mediaSequence,
        r.discontinuitySequence(),
        segments,
        hint,
        reports,
        ended,
        0);
  }

  /** Where the live edge of a rendition is, for blocking-reload decisions and rendition reports. */
  public PlaylistPosition position(RenditionSnapshot r) {
    TimelineSegment last = r == null ? null : r.last();
    if (last == null) {
      return new PlaylistPosition(
          -1, -1, true, r != null && r.ended(), hls.partTargetSeconds(), true);
    }
    return new PlaylistPosition(
        last.msn(),
        last.parts().size() - 1,
        last.complete(),
        r.ended(),
        hls.partTargetSeconds(),
        true);
  }
}
