package dev.headwater.record;

/**
 * One rendition of a recording, as the multivariant playlist and the MPD describe it.
 *
 * @param audio the audio rendition (not a video variant)
 * @param codec RFC 6381 codec string of its init section
 * @param timescale the init section's timescale (ticks per second)
 * @param channels the audio init section's channel count; 0 for video, and for recordings made
 *     before it was recorded (their MPD then has no AudioChannelConfiguration)
 */
public record RecordedRendition(
    String name,
    boolean audio,
    long peakBandwidth,
    long averageBandwidth,
    double frameRate,
    String codec,
    int width,
    int height,
    long timescale,
    int channels) {}
