package dev.headwater.media.rtmp;

/** Outcome of {@link RtmpCommand#parse}: the command, or why the message is not one. */
public sealed interface RtmpCommandResult {

  record Parsed(RtmpCommand command) implements RtmpCommandResult {}

  record Invalid(String reason) implements RtmpCommandResult {}
}
