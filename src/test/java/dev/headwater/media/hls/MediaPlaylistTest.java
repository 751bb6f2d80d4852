package dev.headwater.media.hls;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The model refuses playlists that break a MUST the writer cannot repair. */
class MediaPlaylistTest {

  private static MediaPlaylist playlist(
      double partTarget,
      ServerControl control,
      List<HlsSegment> segments,
      boolean endList,
      int skipped) {
    return new MediaPlaylist(
        2, partTarget, control, 100, 0, segments, null, null, endList, skipped);
  }

  private static HlsSegment segmentWithPart(long msn, double partDuration) {
    return new HlsSegment(
        msn,
        "s.m4s",
        2.0,
        true,
        List.of(new HlsPart("p.m4s", partDuration, true, false)),
        false,
        null,
        null,
        false);
  }

  @Test
  void rejectsPartLongerThanPartTargetAsWritten() {
    assertThrows(
        IllegalArgumentException.class,
        () -> playlist(0.5, Fixtures.LL_CONTROL, List.of(segmentWithPart(100, 0.5006)), false, 0));
  }

  @Test
  void acceptsPartThatRoundsToPartTarget() {
    assertDoesNotThrow(
        () -> playlist(0.5, Fixtures.LL_CONTROL, List.of(segmentWithPart(100, 0.5004)), false, 0));
  }

  @Test
  void rejectsPartsWithoutPartTarget() {
    assertThrows(
        IllegalArgumentException.class,
        () -> playlist(0, null, List.of(segmentWithPart(100, 0.5)), false, 0));
  }

  @Test
  void rejectsPartsWithoutPartHoldBack() {
    assertThrows(IllegalArgumentException.class, () -> playlist(0.5, null, List.of(), false, 0));
    assertThrows(
        IllegalArgumentException.class,
        () -> playlist(0.5, new ServerControl(true, 0.9, 0, 0), List.of(), false, 0));
  }

  @Test
  void rejectsHoldBackBelowThreeTargetDurations() {
    assertThrows(
        IllegalArgumentException.class,
        () -> playlist(0, new ServerControl(true, 0, 5.9, 0), List.of(), false, 0));
  }

  @Test
  void rejectsSkipBoundaryBelowSixTargetDurations() {
    assertThrows(
        IllegalArgumentException.class,
        () -> playlist(0, new ServerControl(true, 0, 0, 11.9), List.of(), false, 0));
  }

  @Test
  void rejectsSegmentLongerThanTargetDurationAfterRounding() {
    HlsSegment longOne =
        new HlsSegment(100, "s.ts", 2.5, true, List.of(), false, null, null, false);
    assertThrows(
        IllegalArgumentException.class, () -> playlist(0, null, List.of(longOne), false, 0));
  }

  @Test
  void rejectsHoleInMediaSequenceNumbers() {
    List<HlsSegment> segments = new ArrayList<>(Fixtures.window(100, 3, 0));
    segments.remove(1);
    assertThrows(
        IllegalArgumentException.class,
        () -> playlist(0.5, Fixtures.LL_CONTROL, segments, false, 0));
  }

  @Test
  void rejectsIncompleteSegmentBeforeTheLast() {
    List<HlsSegment> segments = new ArrayList<>(Fixtures.window(100, 1, 0));
    segments.add(Fixtures.open(101, 100, 2));
    segments.add(Fixtures.complete(102, 100, null));
    assertThrows(
        IllegalArgumentException.class,
        () -> playlist(0.5, Fixtures.LL_CONTROL, segments, false, 0));
  }

  @Test
  void rejectsEndedPlaylistWithIncompleteLastSegment() {
    assertThrows(
        IllegalArgumentException.class,
        () -> playlist(0.5, Fixtures.LL_CONTROL, Fixtures.window(100, 2, 1), true, 0));
  }

  @Test
  void rejectsSkipWithoutCanSkipUntil() {
    List<HlsSegment> tail = List.of(Fixtures.complete(105, 100, null));
    assertThrows(
        IllegalArgumentException.class,
        () -> playlist(0.5, new ServerControl(true, 1.5, 0, 0), tail, false, 5));
    assertDoesNotThrow(() -> playlist(0.5, Fixtures.LL_CONTROL, tail, false, 5));
  }

  @Test
  void rejectsValuesThatCannotBeWrittenAsQuotedStrings() {
    assertThrows(IllegalArgumentException.class, () -> new HlsPart("a\"b.m4s", 0.5, false, false));
    assertThrows(IllegalArgumentException.class, () -> new PreloadHint("PART", "a\nb"));
    assertThrows(IllegalArgumentException.class, () -> new PreloadHint("SEGMENT", "a.m4s"));
    assertThrows(
        IllegalArgumentException.class,
        () -> new HlsSegment(0, "#x.m4s", 1, true, List.of(), false, null, null, false));
    assertThrows(
        IllegalArgumentException.class,
        () -> new RenditionReport("https://cdn.example/b.m3u8", 1, 0));
  }
}
