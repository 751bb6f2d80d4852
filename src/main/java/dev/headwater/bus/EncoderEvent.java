package dev.headwater.bus;

/** Payload of {@link Addresses#ENCODER_STATE}. {@code state} is one of STARTED, EXITED, RESTARTING, GAVE_UP, STOPPED. */
public record EncoderEvent(String stream, String sessionId, String state, int run, String detail) {}
