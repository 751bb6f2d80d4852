package dev.headwater.cluster;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Instant;

/**
 * Where a session of a stream lives in the cluster: the origin that owns it and the base URL its
 * HTTP listener takes forwarded requests on. Stored in the cluster's maps as a JSON string, so that
 * Hazelcast compares two values by their bytes (a conditional replace of the exact value read).
 *
 * @param live true while a publisher may still send to it (LIVE or reconnect grace); false once it
 *     ended (kept, still downloadable, until the owner forgets it)
 */
public record StreamLocation(
    String name, String session, String node, String http, boolean live, Instant startedAt) {

  public StreamLocation ended() {
    return new StreamLocation(name, session, node, http, false, startedAt);
  }

  public String toJson() {
    return new JsonObject()
        .put("name", name)
        .put("session", session)
        .put("node", node)
        .put("http", http)
        .put("live", live)
        .put("startedAt", startedAt.toEpochMilli())
        .encode();
  }

  /** The value stored in the map, or null for a value that is not one (a foreign writer). */
  public static StreamLocation fromJson(String json) {
    if (json == null) {
      return null;
    }
    try {
      JsonObject o = new JsonObject(json);
      return new StreamLocation(
          o.getString("name"),
          o.getString("session"),
          o.getString("node"),
          o.getString("http"),
          o.getBoolean("live", false),
          Instant.ofEpochMilli(o.getLong("startedAt", 0L)));
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** The owner's HTTP host, for the forwarding client. */
  public URI uri() {
    return URI.create(http);
  }
}
