package dev.headwater.media.hls;

import java.util.ArrayList;
import java.util.List;

/**
 * Which EXT-X-PART tags a written playlist still carries.
 *
 * <p>§6.2.2: EXT-X-PART tags SHOULD be removed once they are more than three Target Durations from the
 * end of the playlist, and MUST be removed in playlist order. A part counts as that far away when its end
 * lies more than 3 x TD before the end of the last published media. Parts are dropped per whole parent
 * segment: a segment keeps all its parts while its last part is inside the window. Dropping only the
 * leading parts of a parent would leave a list whose positions no longer match the Part Indexes clients
 * use in {@code _HLS_part}. Keeping a few extra parts is harmless; a removed part must stay downloadable
 * for another 3 x TD anyway (§6.2.2), which is the media store's job.
 *
 * <p>Distances are computed on the written (millisecond) durations, so the result matches the text.
 */
public final class PartWindow {

    /** Target durations from the end of the playlist within which parts stay listed. */
    public static final int TARGET_DURATIONS = 3;

    private PartWindow() {}

    /** The playlist with the parts of segments outside the part window removed; the segments stay. */
    public static MediaPlaylist trim(MediaPlaylist playlist) {
        List<HlsSegment> segments = playlist.segments();
        long totalMillis = 0;
        for (HlsSegment segment : segments) {
            totalMillis += publishedMillis(segment);
        }
        long windowMillis = TARGET_DURATIONS * 1000L * playlist.targetDuration();
        List<HlsSegment> trimmed = new ArrayList<>(segments.size());
        long endMillis = 0;
        boolean changed = false;
        for (HlsSegment segment : segments) {
            endMillis += publishedMillis(segment);
            if (totalMillis - endMillis > windowMillis && !segment.parts().isEmpty()) {
                trimmed.add(segment.withParts(List.of()));
                changed = true;
            } else {
                trimmed.add(segment);
            }
        }
        return changed ? playlist.withSegments(trimmed, playlist.skippedSegments()) : playlist;
    }

    static long publishedMillis(HlsSegment segment) {
        if (segment.complete()) {
            return HlsFormat.millis(segment.duration());
        }
        long sum = 0;
        for (HlsPart part : segment.parts()) {
            sum += HlsFormat.millis(part.duration());
        }
        return sum;
    }
}
