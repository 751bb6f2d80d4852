package dev.headwater.media.cmaf;

import dev.headwater.media.isobmff.Fragment;

/**
 * A CMAF chunk (one fragment: moof+mdat with its leading boxes) joined the open part. It comes
 * after the events that closed what came before it and before an eager {@link PartClosed} of the
 * part it completes, so a reader that applies events in order always knows which segment and part
 * the chunk belongs to: a segment being produced can be streamed chunk by chunk.
 *
 * @param startsSegment the chunk is the first of a new segment
 */
public record ChunkAdded(Fragment fragment, boolean startsSegment) implements CutterEvent {}
