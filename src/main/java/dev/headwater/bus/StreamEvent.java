package dev.headwater.bus;

/** Payload of {@link Addresses#STREAM_PUBLISHED} and {@link Addresses#STREAM_ENDED}. */
public record StreamEvent(String stream, String sessionId, String reason) {}
