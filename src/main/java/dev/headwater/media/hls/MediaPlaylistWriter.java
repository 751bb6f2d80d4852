package dev.headwater.media.hls;

/**
 * Renders a {@link MediaPlaylist}; the only code that writes Media Playlist tags.
 *
 * <p>Order: EXTM3U, VERSION, TARGETDURATION, PLAYLIST-TYPE, SERVER-CONTROL, PART-INF,
 * MEDIA-SEQUENCE, DISCONTINUITY-SEQUENCE, SKIP, the segments, PRELOAD-HINT, RENDITION-REPORTs,
 * ENDLIST. Lines end with LF.
 *
 * <p>Not written: EXT-X-INDEPENDENT-SEGMENTS (§4.4.2.1: it belongs in the Multivariant Playlist and
 * SHOULD NOT be repeated in the Media Playlists it references). EXT-X-PLAYLIST-TYPE only for
 * recordings (§6.2.2: a live playlist MUST NOT carry it).
 */
public final class MediaPlaylistWriter {

  private MediaPlaylistWriter() {}

  public static String write(MediaPlaylist playlist) {
    MediaPlaylist p = PartWindow.trim(playlist);
    StringBuilder out = new StringBuilder(256 + 160 * p.segments().size());
    line(out, "#EXTM3U");
    line(out, "#EXT-X-VERSION:" + HlsVersion.forMedia(p));
    line(out, "#EXT-X-TARGETDURATION:" + p.targetDuration());
    if (p.playlistType() != null) {
      line(out, "#EXT-X-PLAYLIST-TYPE:" + p.playlistType());
    }
    writeServerControl(out, p);
    if (p.hasParts()) {
      // §4.4.3.7: PART-INF is REQUIRED once any EXT-X-PART may appear.
      line(out, "#EXT-X-PART-INF:" + new AttributeList().seconds("PART-TARGET", p.partTarget()));
    }
    line(out, "#EXT-X-MEDIA-SEQUENCE:" + p.mediaSequence());
    // [AUTH] 8.17: always present, since an encoder restart can bring a discontinuity at any time.
    line(out, "#EXT-X-DISCONTINUITY-SEQUENCE:" + p.discontinuitySequence());
    if (p.skippedSegments() > 0) {
      line(
          out,
          "#EXT-X-SKIP:" + new AttributeList().integer("SKIPPED-SEGMENTS", p.skippedSegments()));
    }
    for (HlsSegment segment : p.segments()) {
      if (segment.isListed()) {
        writeSegment(out, segment);
      }
    }
    // §4.4.5.3: a playlist with EXT-X-ENDLIST MUST NOT contain a preload hint.
    if (p.preloadHint() != null && !p.endList()) {
      line(
          out,
          "#EXT-X-PRELOAD-HINT:"
              + new AttributeList()
                  .raw("TYPE", p.preloadHint().type())
                  .quoted("URI", p.preloadHint().uri()));
    }
    for (RenditionReport report : p.renditionReports()) {
      AttributeList attributes =
          new AttributeList().quoted("URI", report.uri()).integer("LAST-MSN", report.lastMsn());
      if (report.lastPart() >= 0) {
        attributes.integer("LAST-PART", report.lastPart());
      }
      line(out, "#EXT-X-RENDITION-REPORT:" + attributes);
    }
    if (p.endList()) {
      line(out, "#EXT-X-ENDLIST");
    }
    return out.toString();
  }

  private static void writeServerControl(StringBuilder out, MediaPlaylist p) {
    ServerControl control = p.serverControl();
    if (control == null || control.isEmpty()) {
      return;
    }
    AttributeList attributes =
        new AttributeList().yesIf("CAN-BLOCK-RELOAD", control.canBlockReload());
    if (control.canSkipUntil() > 0) {
      attributes.seconds("CAN-SKIP-UNTIL", control.canSkipUntil());
    }
    if (control.holdBack() > 0) {
      attributes.seconds("HOLD-BACK", control.holdBack());
    }
    if (control.partHoldBack() > 0) {
      attributes.seconds("PART-HOLD-BACK", control.partHoldBack());
    }
    line(out, "#EXT-X-SERVER-CONTROL:" + attributes);
  }

  private static void writeSegment(StringBuilder out, HlsSegment segment) {
    // §4.4.4.9: DISCONTINUITY, MAP and PROGRAM-DATE-TIME of a parent MUST precede its first
    // EXT-X-PART.
    if (segment.discontinuity()) {
      line(out, "#EXT-X-DISCONTINUITY");
    }
    if (segment.mapUri() != null) {
      line(out, "#EXT-X-MAP:" + new AttributeList().quoted("URI", segment.mapUri()));
    }
    if (segment.programDateTime() != null) {
      line(out, "#EXT-X-PROGRAM-DATE-TIME:" + HlsFormat.dateTime(segment.programDateTime()));
    }
    for (HlsPart part : segment.parts()) {
      line(
          out,
          "#EXT-X-PART:"
              + new AttributeList()
                  .seconds("DURATION", part.duration())
                  .quoted("URI", part.uri())
                  .yesIf("INDEPENDENT", part.independent())
                  .yesIf("GAP", part.gap()));
    }
    if (segment.complete()) {
      if (segment.gap()) {
        line(out, "#EXT-X-GAP");
      }
      line(out, "#EXTINF:" + HlsFormat.seconds(segment.duration()) + ",");
      line(out, segment.uri());
    }
  }

  private static void line(StringBuilder out, String text) {
    out.append(text).append('\n');
  }
}
