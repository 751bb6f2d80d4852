package dev.headwater.media.amf;

/**
 * Marker values for the two AMF0 types that have no payload. Java {@code null} cannot be kept in
 * every collection and cannot tell null from undefined, so decoded values use these singletons
 * instead (AMF0 2.7 null-type, AMF0 2.8 undefined-type).
 */
public enum Amf0 {
  /** AMF0 2.7: the null value. */
  NULL,
  /** AMF0 2.8: the undefined value. */
  UNDEFINED
}
