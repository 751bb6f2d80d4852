package dev.headwater.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headwater.media.hls.MediaPlaylist;
import dev.headwater.media.hls.MediaPlaylistWriter;
import dev.headwater.record.RecordedRendition;
import dev.headwater.record.RecordedSegment;
import dev.headwater.record.Recording;
import dev.headwater.record.RecordingEntry;
import dev.headwater.timeline.RenditionKind;
import dev.headwater.timeline.RenditionSpec;
import dev.headwater.timeline.RenditionTimeline;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The playlists built from recordings: replay (VOD/EVENT) and DVR. */
class RecordingPlaylistsTest {
  private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");

  private static RecordingEntry entry(long msn, boolean discontinuity) {
    return new RecordingEntry(
        msn,
        discontinuity,
        T0.plusSeconds(2 * msn),
        Map.of("360p", new RecordedSegment(0, 2.0, 180_000, msn * 180_000, 1000, discontinuity)));
  }

  private static Recording recording(boolean ended, long... msns) {
    List<RecordingEntry> entries = new ArrayList<>();
    long previous = -1;
    for (long m : msns) {
      entries.add(entry(m, previous >= 0 && m != previous + 1));
      previous = m;
    }
    return new Recording(
        "demo",
        "S",
        T0,
        List.of(
            new RecordedRendition(
                "360p", false, 1_000_000, 900_000, 30, "avc1.64001e", 640, 360, 90_000, 0)),
        entries,
        ended);
  }

  @Test
  void aFinishedRecordingIsAVodPlaylistNumberedWithoutHolesAndKeepingItsUris() {
    String text = MediaPlaylistWriter.write(VodAssembler.media(recording(true, 0, 1, 4), "360p"));
    assertTrue(text.contains("#EXT-X-PLAYLIST-TYPE:VOD\n"), text);
    assertTrue(text.endsWith("#EXT-X-ENDLIST\n"), text);
    assertTrue(
        text.contains("s1.m4s\n#EXT-X-DISCONTINUITY\n"), "after the dropped groups: " + text);
    assertEquals(
        List.of("s0.m4s", "s1.m4s", "s4.m4s"),
        text.lines().filter(l -> l.startsWith("s")).toList());
  }

  @Test
  void oneStillRecordedIsAnEventPlaylistWithoutEndlist() {
    String text = MediaPlaylistWriter.write(VodAssembler.media(recording(false, 0, 1), "360p"));
    assertTrue(text.contains("#EXT-X-PLAYLIST-TYPE:EVENT\n"), text);
    assertFalse(text.contains("ENDLIST"), text);
  }

  @Test
  void aVodPlaylistMustEnd() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new MediaPlaylist(
                2, 0, null, 0, 0, List.of(), null, List.of(), false, 0, MediaPlaylist.VOD));
  }

  private static RenditionTimeline emptyLive() {
    return new RenditionTimeline(
        new RenditionSpec("360p", RenditionKind.VIDEO, 360, 1_000_000, 900_000, 30), 6, 2);
  }

  @Test
  void dvrKeepsLiveMsnsAndListsADroppedGroupAsAGap() {
    MediaPlaylist p =
        DvrAssembler.media(
            recording(false, 0, 1, 3), emptyLive().snapshot(), 2, T0.plusSeconds(10), 60, false);
    String text = MediaPlaylistWriter.write(p);
    assertTrue(text.contains("#EXT-X-PLAYLIST-TYPE:EVENT\n"), text);
    assertTrue(text.contains("#EXT-X-MEDIA-SEQUENCE:0\n"), text);
    assertTrue(text.contains("#EXT-X-GAP\n#EXTINF:2.000,\ns2.m4s\n"), text);
    assertTrue(text.contains("#EXT-X-DISCONTINUITY\n"), text);
  }

  @Test
  void dvrSlidesWithItsWindowCountingTheDiscontinuitiesThatLeftIt() {
    // One minute of window at 10:02:00 keeps segments ending at 10:01:00 or later: MSN 29 on.
    long[] msns = new long[40];
    for (int i = 0; i < msns.length; i++) {
      msns[i] = i < 10 ? i : i + 1; // MSN 10 dropped: 11 is a discontinuity
    }
    MediaPlaylist p =
        DvrAssembler.media(
            recording(false, msns), emptyLive().snapshot(), 2, T0.plusSeconds(120), 1, false);
    String text = MediaPlaylistWriter.write(p);
    assertFalse(text.contains("PLAYLIST-TYPE"), "a sliding window has no type: " + text);
    assertTrue(text.contains("#EXT-X-MEDIA-SEQUENCE:29\n"), text);
    assertTrue(text.contains("#EXT-X-DISCONTINUITY-SEQUENCE:1\n"), text);
    assertTrue(
        text.contains("#EXT-X-MAP:URI=\"init-0.mp4\""), "the first listed segment has its map");
  }
}
