package dev.headwater.bus;

/**
 * Payload of {@link Addresses#TIMELINE_UPDATED}: which stream session changed; {@code
 * publishedNanos} is System.nanoTime() at publication (the start of the wake delay the HTTP
 * verticles measure).
 */
public record TimelineEvent(String stream, String sessionId, long publishedNanos) {}
