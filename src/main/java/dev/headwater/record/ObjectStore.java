package dev.headwater.record;

import java.io.IOException;
import java.util.List;

/**
 * Where recordings are kept: a flat key space of immutable objects, as an S3 bucket is. Keys use
 * {@code /} as a separator and never start with one. Local disk ({@link LocalDiskStore}) is the
 * embedded default; an S3-compatible object store is the production backend.
 *
 * <p>Every method blocks: callers run it on a worker thread, never on an event loop. An object is
 * either absent or complete under its key ({@link #put} never exposes a partial object), so a crash
 * in the middle of a write leaves nothing half-written to be listed.
 */
public interface ObjectStore extends AutoCloseable {

  /** Stores {@code bytes} under {@code key}, replacing any object there. */
  void put(String key, byte[] bytes) throws IOException;

  /** The object's bytes, or {@code null} when no object has this key. */
  byte[] get(String key) throws IOException;

  /** Every object whose key starts with {@code prefix}, in key order. */
  List<StoredObject> list(String prefix) throws IOException;

  /** Removes the object; removing an absent key is not an error. */
  void delete(String key) throws IOException;

  /** Where the objects live, for logs: a directory, or an endpoint and bucket. */
  String describe();

  @Override
  default void close() {}

  /** One listed object. */
  record StoredObject(String key, long size) {}
}
