package dev.headwater.media.cmaf;

/** Something {@link PartCutter} completed. */
public sealed interface CutterEvent permits ChunkAdded, PartClosed, SegmentClosed {}
