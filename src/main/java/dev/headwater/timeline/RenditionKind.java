package dev.headwater.timeline;

/**
 * What a rendition carries; a stream has N video renditions (the ladder) and at most one audio
 * rendition.
 */
public enum RenditionKind {
  VIDEO,
  AUDIO
}
