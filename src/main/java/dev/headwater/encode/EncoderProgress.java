package dev.headwater.encode;

/** One block of FFmpeg {@code -progress} output. Missing values are NaN or -1. */
public record EncoderProgress(
    long frame,
    double fps,
    double speed,
    double bitrateKbps,
    long totalSize,
    long outTimeMicros,
    boolean end) {}
