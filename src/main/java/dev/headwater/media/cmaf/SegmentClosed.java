package dev.headwater.media.cmaf;

/**
 * A segment is complete: its parts were all announced by the {@link PartClosed} events before this
 * one, the last {@code partCount} of them. Times in track timescale units.
 */
public record SegmentClosed(long startTime, long duration, int partCount) implements CutterEvent {}
