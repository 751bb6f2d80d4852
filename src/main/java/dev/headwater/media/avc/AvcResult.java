package dev.headwater.media.avc;

/** Outcome of parsing untrusted H.264 structures: the value, or why it could not be read. */
public sealed interface AvcResult<T> {

  record Ok<T>(T value) implements AvcResult<T> {}

  record Error<T>(String message) implements AvcResult<T> {}
}
