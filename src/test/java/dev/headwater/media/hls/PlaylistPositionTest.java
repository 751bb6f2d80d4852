package dev.headwater.media.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlaylistPositionTest {

  @Test
  void reportsOpenSegmentAndItsLastPart() {
    assertEquals(
        new PlaylistPosition(103, 1, false, false, 0.5, true),
        PlaylistPosition.of(Fixtures.live(100, 3, 2)));
  }

  @Test
  void reportsLastClosedSegmentWhenOpenSegmentHasNoPartYet() {
    List<HlsSegment> segments = new ArrayList<>(Fixtures.window(100, 3, 0));
    segments.add(Fixtures.open(103, 100, 0));
    MediaPlaylist playlist =
        new MediaPlaylist(2, 0.5, Fixtures.LL_CONTROL, 100, 0, segments, null, null, false, 0);
    assertEquals(
        new PlaylistPosition(102, 3, true, false, 0.5, true), PlaylistPosition.of(playlist));
  }

  @Test
  void reportsPositionBeforeMediaSequenceForEmptyPlaylist() {
    MediaPlaylist playlist =
        new MediaPlaylist(2, 0.5, Fixtures.LL_CONTROL, 7, 0, List.of(), null, null, false, 0);
    assertEquals(
        new PlaylistPosition(6, -1, true, false, 0.5, true), PlaylistPosition.of(playlist));
  }

  @Test
  void reportsSamePositionForDeltaUpdate() {
    MediaPlaylist full = Fixtures.live(60, 40, 2);
    assertEquals(PlaylistPosition.of(full), PlaylistPosition.of(DeltaUpdate.apply(full, 12)));
  }
}
