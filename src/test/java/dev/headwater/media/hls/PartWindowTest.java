package dev.headwater.media.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.junit.jupiter.api.Test;

/** TD 2 s, so the part window is the last 6 s of the playlist. */
class PartWindowTest {

    private static List<Integer> partCounts(MediaPlaylist playlist) {
        return playlist.segments().stream().map(s -> s.parts().size()).toList();
    }

    @Test
    void keepsPartsOfSegmentsEndingWithinThreeTargetDurationsOfTheEnd() {
        // 3 x 2 s + 1 s of parts: the first segment ends 5 s before the end.
        MediaPlaylist live = Fixtures.live(100, 3, 2);
        assertSame(live, PartWindow.trim(live));
    }

    @Test
    void dropsPartsOfSegmentsEndingMoreThanThreeTargetDurationsBeforeTheEnd() {
        // 5 x 2 s + 1 s: segment ends at 2, 4, 6, 8, 10 of 11 s.
        assertEquals(List.of(0, 0, 4, 4, 4, 2), partCounts(PartWindow.trim(Fixtures.live(100, 5, 2))));
    }

    @Test
    void keepsPartsOfSegmentEndingExactlyThreeTargetDurationsBeforeTheEnd() {
        // 4 x 2 s: the first segment ends exactly 6 s before the end.
        assertEquals(List.of(4, 4, 4, 4), partCounts(PartWindow.trim(Fixtures.live(100, 4, 0))));
    }

    @Test
    void dropsWholeParentsNeverLeadingPartsOfAParent() {
        // 5 x 2 s + 0.5 s: the segment ending 6.5 s before the end loses all of its parts, not just one.
        assertEquals(List.of(0, 0, 4, 4, 4, 1), partCounts(PartWindow.trim(Fixtures.live(100, 5, 1))));
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
    void leavesPlaylistWithoutPartsUnchanged() {
        MediaPlaylist plain = new MediaPlaylist(2, 0, null, 0, 0, List.of(
                new HlsSegment(0, "a.ts", 2, true, List.of(), false, null, null, false),
                new HlsSegment(1, "b.ts", 2, true, List.of(), false, null, null, false)), null, null, true, 0);
        assertSame(plain, PartWindow.trim(plain));
    }
}
