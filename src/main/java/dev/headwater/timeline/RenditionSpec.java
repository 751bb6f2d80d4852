package dev.headwater.timeline;

/**
 * What the encoder was asked to produce for one rendition, known before any byte arrives.
 * Bandwidths are in bits per second and include the audio rendition for video variants (HLS 4.4.6.2
 * BANDWIDTH counts every rendition a client would fetch with it).
 */
public record RenditionSpec(
    String name,
    RenditionKind kind,
    int height,
    long peakBandwidth,
    long averageBandwidth,
    double frameRate) {}
