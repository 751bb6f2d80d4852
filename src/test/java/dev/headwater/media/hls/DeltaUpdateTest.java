package dev.headwater.media.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Fixtures: TD 2 s, CAN-SKIP-UNTIL 12 s. */
class DeltaUpdateTest {

  private static MediaPlaylist withControl(
      MediaPlaylist p, ServerControl control, boolean endList) {
    return new MediaPlaylist(
        p.targetDuration(),
        p.partTarget(),
        control,
        p.mediaSequence(),
        p.discontinuitySequence(),
        p.segments(),
        endList ? null : p.preloadHint(),
        p.renditionReports(),
        endList,
        0);
  }

  @Test
  void skipsSegmentsEndingFurtherThanTheSkipBoundaryFromTheEnd() {
    // 40 x 2 s + 1 s = 81 s; segment 93 ends 13 s before the end, 94 ends 11 s before it.
    MediaPlaylist delta = DeltaUpdate.apply(Fixtures.live(60, 40, 2), 12);
    assertEquals(34, delta.skippedSegments());
    assertEquals(94, delta.segments().get(0).msn());
    assertEquals(60, delta.mediaSequence());
  }

  @Test
  void keepsSegmentEndingExactlyAtTheSkipBoundary() {
    // 40 x 2 s = 80 s; segment 93 ends exactly 12 s before the end.
    MediaPlaylist delta = DeltaUpdate.apply(Fixtures.live(60, 40, 0), 12);
    assertEquals(93, delta.segments().get(0).msn());
  }

  @Test
  void keepsDiscontinuitySequenceAndMediaSequence() {
    MediaPlaylist live = Fixtures.live(60, 40, 2);
    MediaPlaylist full =
        new MediaPlaylist(
            2,
            0.5,
            Fixtures.LL_CONTROL,
            60,
            7,
            live.segments(),
            live.preloadHint(),
            live.renditionReports(),
            false,
            0);
    MediaPlaylist delta = DeltaUpdate.apply(full, 12);
    assertEquals(7, delta.discontinuitySequence());
    assertEquals(60, delta.mediaSequence());
  }

  @Test
  void neverSkipsCloserThanTheAdvertisedCanSkipUntil() {
    MediaPlaylist full = Fixtures.live(60, 40, 2);
    assertEquals(DeltaUpdate.apply(full, 12), DeltaUpdate.apply(full, 1));
  }

  @Test
  void skipsMoreWhenAskedWithALargerBoundary() {
    assertEquals(29, DeltaUpdate.apply(Fixtures.live(60, 40, 2), 22).skippedSegments());
  }

  @Test
  void returnsPlaylistUnchangedWithoutCanSkipUntil() {
    MediaPlaylist full =
        withControl(Fixtures.live(60, 40, 2), new ServerControl(true, 1.5, 6, 0), false);
    assertSame(full, DeltaUpdate.apply(full, 12));
  }

  @Test
  void returnsPlaylistUnchangedOnceEnded() {
    MediaPlaylist ended = withControl(Fixtures.live(60, 40, 0), Fixtures.LL_CONTROL, true);
    assertSame(ended, DeltaUpdate.apply(ended, 12));
  }

  @Test
  void returnsPlaylistUnchangedWhenNothingLiesBeyondTheBoundary() {
    MediaPlaylist shortWindow = Fixtures.live(100, 3, 2);
    assertSame(shortWindow, DeltaUpdate.apply(shortWindow, 12));
  }

  @Test
  void repeatsTheMapInForceOnTheFirstKeptSegment() {
    MediaPlaylist delta = DeltaUpdate.apply(Fixtures.live(60, 40, 2), 12);
    assertEquals("init.mp4", delta.segments().get(0).mapUri());
    assertNull(delta.segments().get(1).mapUri());
  }

  @Test
  void repeatsTheLatestSkippedMapNotTheFirst() {
    List<HlsSegment> segments = new ArrayList<>(Fixtures.window(60, 40, 2));
    HlsSegment s = segments.get(20);
    segments.set(
        20,
        new HlsSegment(
            s.msn(),
            s.uri(),
            s.duration(),
            true,
            s.parts(),
            true,
            "init-2.mp4",
            s.programDateTime(),
            false));
    MediaPlaylist full =
        new MediaPlaylist(2, 0.5, Fixtures.LL_CONTROL, 60, 0, segments, null, null, false, 0);
    assertEquals("init-2.mp4", DeltaUpdate.apply(full, 12).segments().get(0).mapUri());
  }

  @Test
  void keepsOwnMapOfFirstKeptSegment() {
    List<HlsSegment> segments = new ArrayList<>(Fixtures.window(60, 40, 2));
    HlsSegment s = segments.get(34);
    segments.set(
        34,
        new HlsSegment(
            s.msn(),
            s.uri(),
            s.duration(),
            true,
            s.parts(),
            true,
            "init-3.mp4",
            s.programDateTime(),
            false));
    MediaPlaylist full =
        new MediaPlaylist(2, 0.5, Fixtures.LL_CONTROL, 60, 0, segments, null, null, false, 0);
    HlsSegment first = DeltaUpdate.apply(full, 12).segments().get(0);
    assertEquals("init-3.mp4", first.mapUri());
    assertEquals(true, first.discontinuity());
  }

  @Test
  void writesSkipTagAfterDiscontinuitySequence() {
    String text = MediaPlaylistWriter.write(DeltaUpdate.apply(Fixtures.live(60, 40, 2), 12));
    assertEquals(
        true, text.contains("#EXT-X-DISCONTINUITY-SEQUENCE:0\n#EXT-X-SKIP:SKIPPED-SEGMENTS=34\n"));
  }
}
