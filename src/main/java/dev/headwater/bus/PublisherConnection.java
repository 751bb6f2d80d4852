package dev.headwater.bus;

/**
 * The ingest side of an accepted publisher, as the stream owner sees it. Safe to call from any
 * thread: the implementation hands the close to the connection's own event loop.
 */
public interface PublisherConnection {
  /** Closes the publisher's connection; {@code reason} is logged. */
  void close(String reason);
}
