package dev.headwater.media.hls;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Small, deterministic playlists shared by the tests: TD 2 s, PART-TARGET 0.5 s, four parts per
 * segment.
 */
final class Fixtures {

  static final Instant START = Instant.parse("2026-11-24T07:00:00.000Z");
  static final ServerControl LL_CONTROL = new ServerControl(true, 1.5, 6.0, 12.0);

  private Fixtures() {}

  static List<HlsPart> parts(long msn, int count) {
    List<HlsPart> parts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      parts.add(new HlsPart("seg" + msn + "." + i + ".m4s", 0.5, i == 0, false));
    }
    return parts;
  }

  /**
   * A closed 2 s segment with four parts, a PDT counted from {@link #START}, and a map when asked.
   */
  static HlsSegment complete(long msn, long firstMsn, String mapUri) {
    return new HlsSegment(
        msn,
        "seg" + msn + ".m4s",
        2.0,
        true,
        parts(msn, 4),
        false,
        mapUri,
        START.plusSeconds(2 * (msn - firstMsn)),
        false);
  }

  static HlsSegment open(long msn, long firstMsn, int publishedParts) {
    return new HlsSegment(
        msn,
        null,
        Double.NaN,
        false,
        parts(msn, publishedParts),
        false,
        null,
        START.plusSeconds(2 * (msn - firstMsn)),
        false);
  }

  /**
   * {@code closed} complete segments from {@code firstMsn}, then an open one with {@code openParts}
   * parts (none if 0).
   */
  static List<HlsSegment> window(long firstMsn, int closed, int openParts) {
    List<HlsSegment> segments = new ArrayList<>();
    for (int i = 0; i < closed; i++) {
      long msn = firstMsn + i;
      segments.add(complete(msn, firstMsn, i == 0 ? "init.mp4" : null));
    }
    if (openParts > 0) {
      segments.add(open(firstMsn + closed, firstMsn, openParts));
    }
    return segments;
  }

  static MediaPlaylist live(long firstMsn, int closed, int openParts) {
    long next = firstMsn + closed;
    PreloadHint hint = PreloadHint.part("seg" + next + "." + openParts + ".m4s");
    return new MediaPlaylist(
        2,
        0.5,
        LL_CONTROL,
        firstMsn,
        0,
        window(firstMsn, closed, openParts),
        hint,
        reports(openParts > 0 ? next : next - 1, openParts > 0 ? openParts - 1 : 3),
        false,
        0);
  }

  /**
   * Reports for the other renditions of the ladder, which publish in step with this one (Appendix
   * B.1).
   */
  static List<RenditionReport> reports(long lastMsn, long lastPart) {
    return List.of(
        new RenditionReport("../360p/index.m3u8", lastMsn, lastPart),
        new RenditionReport("../1080p/index.m3u8", lastMsn, lastPart),
        new RenditionReport("../audio/index.m3u8", lastMsn, lastPart));
  }
}
