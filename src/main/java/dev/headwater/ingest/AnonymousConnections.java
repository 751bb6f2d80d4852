package dev.headwater.ingest;

import java.util.Iterator;
import java.util.LinkedHashSet;

/**
 * The listener's connections whose publisher has not been authorized yet, oldest first. When the
 * global connection cap is reached, the oldest of them makes room for a new connection instead of
 * the new one being refused: idle sockets held by a flood then cannot lock a real publisher out,
 * they only shorten each other's lives. Confined to the listener's event loop.
 */
final class AnonymousConnections {
  private final LinkedHashSet<RtmpConnection> oldestFirst = new LinkedHashSet<>();

  void add(RtmpConnection c) {
    oldestFirst.add(c);
  }

  /** The connection was authorized or closed. */
  void remove(RtmpConnection c) {
    oldestFirst.remove(c);
  }

  /** Removes and returns the oldest anonymous connection, or null if there is none. */
  RtmpConnection pollOldest() {
    Iterator<RtmpConnection> it = oldestFirst.iterator();
    if (!it.hasNext()) {
      return null;
    }
    RtmpConnection oldest = it.next();
    it.remove();
    return oldest;
  }

  int size() {
    return oldestFirst.size();
  }
}
