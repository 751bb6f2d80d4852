package dev.headwater.media.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * TD 2 s, so a parent keeps its parts while it starts within the last 6 s and is one of the last
 * three segment entries (the trailing preload-hint entry counted). Every case also checks the
 * written text the way hls-parser's strict mode counts entries ({@link #partsPerEntry}).
 */
class PartWindowTest {

  private static final Set<String> SEGMENT_TAGS =
      Set.of(
          "#EXTINF",
          "#EXT-X-DISCONTINUITY",
          "#EXT-X-MAP",
          "#EXT-X-PROGRAM-DATE-TIME",
          "#EXT-X-PART",
          "#EXT-X-PRELOAD-HINT",
          "#EXT-X-GAP");

  private static List<Integer> partCounts(MediaPlaylist playlist) {
    return playlist.segments().stream().map(s -> s.parts().size()).toList();
  }

  /**
   * Parts per segment entry of a written playlist, read as hls-parser 0.16.1 does: an entry ends at
   * each URI line, and the tags after the last one (open parts, preload hint) form one more entry.
   */
  static List<Integer> partsPerEntry(String text) {
    List<Integer> entries = new ArrayList<>();
    int parts = 0;
    boolean open = false;
    for (String line : text.split("\n")) {
      String tag = line.startsWith("#") ? line.split(":", 2)[0] : null;
      if (tag == null) {
        if (!line.isEmpty()) {
          entries.add(parts);
          parts = 0;
          open = false;
        }
      } else if (SEGMENT_TAGS.contains(tag)) {
        // hls-parser's 'Segment' category: any of these opens an entry.
        open = true;
        if (tag.equals("#EXT-X-PART")) {
          parts++;
        }
      }
    }
    if (open) {
      entries.add(parts);
    }
    return entries;
  }

  /** hls-parser's rule: no entry before the last three carries a part. */
  static void assertOnlyLastThreeEntriesHaveParts(String text) {
    List<Integer> entries = partsPerEntry(text);
    for (int i = 0; i < entries.size() - PartWindow.ENTRIES; i++) {
      assertEquals(
          0, entries.get(i), "entry " + i + " of " + entries.size() + " has parts:\n" + text);
    }
  }

  private static MediaPlaylist trimmedAndChecked(MediaPlaylist playlist) {
    assertOnlyLastThreeEntriesHaveParts(MediaPlaylistWriter.write(playlist));
    return PartWindow.trim(playlist);
  }

  @Test
  void midSegmentKeepsTheOpenSegmentAndTheTwoBeforeIt() {
    // 5 x 2 s + 1 s of parts: starts at 11, 9, 7, 5, 3, 1 s before the end; six entries.
    assertEquals(
        List.of(0, 0, 0, 4, 4, 2), partCounts(trimmedAndChecked(Fixtures.live(100, 5, 2))));
  }

  @Test
  void midSegmentDropsAParentStartingMoreThanThreeTargetDurationsBack() {
    // 3 x 2 s + 1 s: four entries; the first starts 7 s back, so the time rule drops it as well.
    assertEquals(List.of(0, 4, 4, 2), partCounts(trimmedAndChecked(Fixtures.live(100, 3, 2))));
  }

  @Test
  void justAfterASegmentClosedTheHintAloneIsTheThirdEntry() {
    // 4 x 2 s, hint only: seg101 starts exactly 6 s back (inside the time rule) but is the fourth
    // entry
    // from the end, counting the hint's own entry.
    MediaPlaylist live = Fixtures.live(100, 4, 0);
    assertTrue(PartWindow.hintFormsOwnEntry(live));
    assertEquals(List.of(0, 0, 4, 4), partCounts(trimmedAndChecked(live)));
    assertEquals(List.of(0, 0, 4, 4, 0), partsPerEntry(MediaPlaylistWriter.write(live)));
  }

  @Test
  void openSegmentWithoutPartsLeavesTheHintAsItsOwnEntry() {
    List<HlsSegment> segments = new ArrayList<>(Fixtures.window(100, 4, 0));
    segments.add(Fixtures.open(104, 100, 0));
    MediaPlaylist live =
        new MediaPlaylist(
            2,
            0.5,
            Fixtures.LL_CONTROL,
            100,
            0,
            segments,
            PreloadHint.part("seg104.0.m4s"),
            List.of(),
            false,
            0);
    assertEquals(List.of(0, 0, 4, 4, 0), partCounts(trimmedAndChecked(live)));
  }

  @Test
  void endedPlaylistHasNoHintEntrySoKeepsThreeClosedParents() {
    // 5 x 2 s, ENDLIST, no hint: seg102 starts exactly 6 s back and is third from the end.
    MediaPlaylist ended = ended(Fixtures.live(100, 5, 0));
    assertEquals(List.of(0, 0, 4, 4, 4), partCounts(trimmedAndChecked(ended)));
  }

  @Test
  void livePlaylistWithoutHintCountsNoTrailingEntry() {
    MediaPlaylist live = Fixtures.live(100, 5, 0);
    MediaPlaylist noHint =
        new MediaPlaylist(
            2,
            0.5,
            live.serverControl(),
            100,
            0,
            live.segments(),
            null,
            live.renditionReports(),
            false,
            0);
    assertEquals(List.of(0, 0, 4, 4, 4), partCounts(trimmedAndChecked(noHint)));
  }

  @Test
  void deltaUpdateCountsOnlyTheListedEntries() {
    MediaPlaylist full = Fixtures.live(60, 40, 2);
    MediaPlaylist delta = DeltaUpdate.apply(full, full.serverControl().canSkipUntil());
    assertTrue(delta.skippedSegments() > 0);
    List<Integer> counts = partCounts(trimmedAndChecked(delta));
    assertEquals(List.of(0, 0, 4, 4, 2), counts.subList(counts.size() - 5, counts.size()));
    assertEquals(10, counts.stream().mapToInt(Integer::intValue).sum());
    // The delta lists the same part tags as the full playlist.
    assertEquals(
        partTags(MediaPlaylistWriter.write(full)), partTags(MediaPlaylistWriter.write(delta)));
  }

  @Test
  void deltaUpdateJustAfterASegmentClosed() {
    MediaPlaylist full = Fixtures.live(60, 40, 0);
    MediaPlaylist delta = DeltaUpdate.apply(full, full.serverControl().canSkipUntil());
    List<Integer> counts = partCounts(trimmedAndChecked(delta));
    assertEquals(List.of(0, 4, 4), counts.subList(counts.size() - 3, counts.size()));
    assertEquals(
        partTags(MediaPlaylistWriter.write(full)), partTags(MediaPlaylistWriter.write(delta)));
  }

  @Test
  void shortSegmentsAfterADiscontinuityStillListPartsOnOnlyThreeEntries() {
    // An encoder restart: 0.5 s segments of one part each. Six of them plus an open part start
    // within
    // 3.5 s of the end, so the time rule alone would keep them all; the count rule keeps three
    // entries.
    List<HlsSegment> segments = new ArrayList<>(Fixtures.window(100, 3, 0));
    for (int i = 0; i < 6; i++) {
      long msn = 103 + i;
      segments.add(
          new HlsSegment(
              msn,
              "seg" + msn + ".m4s",
              0.5,
              true,
              Fixtures.parts(msn, 1),
              i == 0,
              i == 0 ? "init-2.mp4" : null,
              Fixtures.START.plusMillis(30_000 + 500L * i),
              false));
    }
    segments.add(
        new HlsSegment(
            109,
            null,
            Double.NaN,
            false,
            Fixtures.parts(109, 1),
            false,
            null,
            Fixtures.START.plusMillis(33_000),
            false));
    MediaPlaylist live =
        new MediaPlaylist(
            2,
            0.5,
            Fixtures.LL_CONTROL,
            100,
            0,
            segments,
            PreloadHint.part("seg109.1.m4s"),
            List.of(),
            false,
            0);
    assertEquals(List.of(0, 0, 0, 0, 0, 0, 0, 1, 1, 1), partCounts(trimmedAndChecked(live)));
  }

  @Test
  void dropsWholeParentsNeverLeadingPartsOfAParent() {
    // 5 x 2 s + 0.5 s: seg102 starts 6.5 s back and loses all of its parts, not just one.
    assertEquals(
        List.of(0, 0, 0, 4, 4, 1), partCounts(trimmedAndChecked(Fixtures.live(100, 5, 1))));
  }

  @Test
  void keepsSegmentsTagsAndUrisWhenDroppingParts() {
    MediaPlaylist trimmed = PartWindow.trim(Fixtures.live(100, 5, 2));
    HlsSegment first = trimmed.segments().get(0);
    assertEquals("seg100.m4s", first.uri());
    assertEquals("init.mp4", first.mapUri());
    assertEquals(Fixtures.START, first.programDateTime());
  }

  @Test
  void leavesAShortLivePlaylistUnchanged() {
    // 2 x 2 s + 1 s: three entries, the first starting 5 s back.
    MediaPlaylist live = Fixtures.live(100, 2, 2);
    assertSame(live, PartWindow.trim(live));
  }

  @Test
  void leavesPlaylistWithoutPartsUnchanged() {
    MediaPlaylist plain =
        new MediaPlaylist(
            2,
            0,
            null,
            0,
            0,
            List.of(
                new HlsSegment(0, "a.ts", 2, true, List.of(), false, null, null, false),
                new HlsSegment(1, "b.ts", 2, true, List.of(), false, null, null, false)),
            null,
            null,
            true,
            0);
    assertSame(plain, PartWindow.trim(plain));
  }

  @Test
  void blockingRequestForAPartWhoseTagWasRemovedIsAnsweredAtOnce() {
    // §6.2.2: a removed part stays available; the decision is made on the timeline, not on the
    // text.
    MediaPlaylist live = Fixtures.live(100, 5, 2);
    assertTrue(PartWindow.trim(live).segments().get(1).parts().isEmpty());
    PlaylistPosition position = PlaylistPosition.of(live);
    assertInstanceOf(
        Decision.Ready.class,
        BlockingDecision.decide(new DeliveryDirectives(101L, 2L, SkipRequest.NO), position));
    assertInstanceOf(
        Decision.Ready.class,
        BlockingDecision.decide(new DeliveryDirectives(101L, 9L, SkipRequest.NO), position));
    // The position of the trimmed playlist is the same: the last entries always keep their parts.
    assertEquals(position, PlaylistPosition.of(PartWindow.trim(live)));
  }

  private static MediaPlaylist ended(MediaPlaylist live) {
    return new MediaPlaylist(
        live.targetDuration(),
        live.partTarget(),
        live.serverControl(),
        live.mediaSequence(),
        0,
        live.segments(),
        live.preloadHint(),
        live.renditionReports(),
        true,
        0);
  }

  private static List<String> partTags(String text) {
    return text.lines().filter(l -> l.startsWith("#EXT-X-PART:")).toList();
  }
}
