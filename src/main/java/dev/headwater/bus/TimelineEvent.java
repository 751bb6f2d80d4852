package dev.headwater.bus;

/** Payload of {@link Addresses#TIMELINE_UPDATED}: which stream changed; {@code publishedNanos} is System.nanoTime() at publication. */
public record TimelineEvent(String stream, String sessionId, long publishedNanos) {}
