package dev.headwater.media.amf;

/**
 * An AMF0 date (AMF0 2.13). The timezone is kept only so that a decoded date re-encodes to the same
 * bytes; the spec says it should be 0 and readers should ignore it.
 *
 * @param epochMillis milliseconds since 1970-01-01T00:00Z, as the double on the wire
 * @param timezone the signed 16-bit time-zone field, in minutes
 */
public record Amf0Date(double epochMillis, int timezone) {}
