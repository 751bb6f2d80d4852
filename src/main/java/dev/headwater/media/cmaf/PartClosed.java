package dev.headwater.media.cmaf;

/** A part is complete and may be published. */
public record PartClosed(CmafPart part) implements CutterEvent {}
