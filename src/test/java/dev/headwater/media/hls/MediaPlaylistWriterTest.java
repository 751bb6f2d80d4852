package dev.headwater.media.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Writer behaviour not visible in the golden files. */
class MediaPlaylistWriterTest {

  @Test
  void omitsPreloadHintOnceEnded() {
    MediaPlaylist live = Fixtures.live(100, 3, 0);
    MediaPlaylist ended =
        new MediaPlaylist(
            2,
            0.5,
            Fixtures.LL_CONTROL,
            100,
            0,
            live.segments(),
            PreloadHint.part("seg103.0.m4s"),
            null,
            true,
            0);
    String text = MediaPlaylistWriter.write(ended);
    assertFalse(text.contains("PRELOAD-HINT"));
    assertTrue(text.endsWith("seg102.m4s\n#EXT-X-ENDLIST\n"));
  }

  @Test
  void leavesOutOpenSegmentWithoutPartsSoItsTagsDoNotDangle() {
    List<HlsSegment> segments = new ArrayList<>(Fixtures.window(100, 3, 0));
    segments.add(
        new HlsSegment(
            103,
            null,
            Double.NaN,
            false,
            List.of(),
            true,
            "init-2.mp4",
            Fixtures.START.plusSeconds(6),
            false));
    MediaPlaylist playlist =
        new MediaPlaylist(
            2,
            0.5,
            Fixtures.LL_CONTROL,
            100,
            0,
            segments,
            PreloadHint.part("seg103.0.m4s"),
            null,
            false,
            0);
    String text = MediaPlaylistWriter.write(playlist);
    assertTrue(
        text.endsWith("seg102.m4s\n#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"seg103.0.m4s\"\n"), text);
    assertFalse(text.contains("init-2.mp4"));
  }

  @Test
  void writesGapTagBeforeExtinfAndGapAttributeOnParts() {
    HlsSegment gap =
        new HlsSegment(
            0,
            "gap.m4s",
            1.0,
            true,
            List.of(
                new HlsPart("gap.0.m4s", 0.5, true, true),
                new HlsPart("gap.1.m4s", 0.5, false, true)),
            false,
            "init.mp4",
            null,
            true);
    MediaPlaylist playlist =
        new MediaPlaylist(
            1, 0.5, new ServerControl(false, 1.5, 0, 0), 0, 0, List.of(gap), null, null, true, 0);
    String text = MediaPlaylistWriter.write(playlist);
    assertTrue(
        text.contains(
            "#EXT-X-PART:DURATION=0.500,URI=\"gap.0.m4s\",INDEPENDENT=YES,GAP=YES\n"
                + "#EXT-X-PART:DURATION=0.500,URI=\"gap.1.m4s\",GAP=YES\n"
                + "#EXT-X-GAP\n#EXTINF:1.000,\ngap.m4s\n"),
        text);
  }

  @Test
  void writesPlainPlaylistWithoutLowLatencyTags() {
    MediaPlaylist plain =
        new MediaPlaylist(
            6,
            0,
            null,
            5,
            0,
            List.of(
                new HlsSegment(
                    5,
                    "a.ts",
                    5.9999,
                    true,
                    List.of(),
                    false,
                    null,
                    Instant.parse("2026-11-24T07:00:00.0005Z"),
                    false)),
            null,
            null,
            false,
            0);
    assertEquals(
        "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:6\n#EXT-X-MEDIA-SEQUENCE:5\n"
            + "#EXT-X-DISCONTINUITY-SEQUENCE:0\n#EXT-X-PROGRAM-DATE-TIME:2026-11-24T07:00:00.000Z\n"
            + "#EXTINF:6.000,\na.ts\n",
        MediaPlaylistWriter.write(plain));
  }

  @Test
  void omitsZeroServerControlValuesAndLastPartOfReportsWithoutParts() {
    MediaPlaylist playlist =
        new MediaPlaylist(
            6,
            0,
            new ServerControl(true, 0, 0, 0),
            0,
            0,
            List.of(new HlsSegment(0, "a.ts", 6, true, List.of(), false, null, null, false)),
            null,
            List.of(new RenditionReport("../b/index.m3u8", 0, -1)),
            false,
            0);
    String text = MediaPlaylistWriter.write(playlist);
    assertTrue(text.contains("#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES\n"), text);
    assertTrue(text.contains("#EXT-X-RENDITION-REPORT:URI=\"../b/index.m3u8\",LAST-MSN=0\n"), text);
  }

  @Test
  void omitsServerControlThatSaysNothing() {
    MediaPlaylist playlist =
        new MediaPlaylist(
            6, 0, new ServerControl(false, 0, 0, 0), 0, 0, List.of(), null, null, false, 0);
    assertFalse(MediaPlaylistWriter.write(playlist).contains("SERVER-CONTROL"));
  }

  @Test
  void neverWritesIndependentSegmentsInMediaPlaylists() {
    assertFalse(
        MediaPlaylistWriter.write(Fixtures.live(100, 3, 2)).contains("INDEPENDENT-SEGMENTS"));
  }
}
