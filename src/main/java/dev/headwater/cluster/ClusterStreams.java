package dev.headwater.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster-wide stream registry: which origin owns each stream name, and each retained session.
 * Two Hazelcast maps hold it — {@value #NAMES} (name → the name's newest session; claiming a name
 * is a conditional write there, so two origins never both start a session for one name) and {@value
 * #SESSIONS} (session id → its location, so the URLs of an older session still reach it). Values
 * are {@link StreamLocation} JSON.
 *
 * <p>Readers on the request path use a local view of both maps, reloaded every second and updated
 * at once by this origin's own writes; a name missing from the view is looked up in the map (a
 * stream that started a moment ago on another origin).
 *
 * <p>An origin that dies cannot release its streams. Every origin releases them for it: at once
 * when Hazelcast reports the member gone, and by the reload, which drops entries of an origin that
 * has not been a member for two reloads in a row (a report missed while this origin was joining).
 */
public final class ClusterStreams implements ClusterMembers {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterStreams.class);
  static final String NAMES = "headwater.stream-names";
  static final String SESSIONS = "headwater.stream-sessions";
  static final String RECORDINGS = "headwater.recordings";
  static final String ORIGINS = "headwater.origins";
  static final String STORES = "headwater.recording-stores";
  private static final long RELOAD_MILLIS = 1000;
  private static final int CLAIM_ATTEMPTS = 5;
  private static final String VERTX_NODE_ID = "__vertx.nodeId";

  /** The outcome of a claim: claimed, or the location of the live session that holds the name. */
  public record Claim(boolean claimed, StreamLocation holder) {}

  /** One cluster map and this origin's view of it. */
  private static final class Shared {
    final String mapName;
    final AsyncMap<String, String> map;
    final Map<String, StreamLocation> view = new ConcurrentHashMap<>();

    Shared(String mapName, AsyncMap<String, String> map) {
      this.mapName = mapName;
      this.map = map;
    }
  }

  private final Vertx vertx;
  private final HazelcastClusterManager manager;
  private final String node;
  private volatile String http;
  private final Shared names;
  private final Shared sessions;
  private final Shared recordings;
  private final Shared origins;
  private final Shared stores;
  private final List<Shared> all;

  /** The recordings this origin last published: session id → the value written. */
  private final Map<String, String> publishedRecordings = new ConcurrentHashMap<>();

  /** Entries (map + key + value) seen last reload with an owner that was not a member. */
  private Set<String> suspects = Set.of();

  private long timer = -1;
  private volatile boolean closed;

  private ClusterStreams(Vertx vertx, HazelcastClusterManager manager, List<Shared> maps) {
    this.vertx = vertx;
    this.manager = manager;
    this.node = manager.getNodeId();
    this.all = maps;
    this.names = maps.get(0);
    this.sessions = maps.get(1);
    this.recordings = maps.get(2);
    this.origins = maps.get(3);
    this.stores = maps.get(4);
  }

  /**
   * Opens the maps of a clustered Vert.x and starts keeping the view. Streams may be claimed once
   * {@link #advertise} has told where this origin's HTTP listener is.
   */
  public static Future<ClusterStreams> open(Vertx vertx, HazelcastClusterManager manager) {
    List<String> mapNames = List.of(NAMES, SESSIONS, RECORDINGS, ORIGINS, STORES);
    List<Future<AsyncMap<String, String>>> opened = new ArrayList<>();
    for (String n : mapNames) {
      opened.add(vertx.sharedData().getAsyncMap(n));
    }
    return Future.all(opened)
        .map(
            v -> {
              List<Shared> maps = new ArrayList<>();
              for (int i = 0; i < mapNames.size(); i++) {
                maps.add(new Shared(mapNames.get(i), opened.get(i).result()));
              }
              ClusterStreams c = new ClusterStreams(vertx, manager, maps);
              c.start();
              return c;
            });
  }

  private void start() {
    manager
        .getHazelcastInstance()
        .getCluster()
        .addMembershipListener(
            new MembershipListener() {
              @Override
              public void memberAdded(MembershipEvent e) {
                LOG.info(
                    "Cluster: origin {} ({}) joined ({} origins)",
                    nodeId(e),
                    e.getMember().getAddress(),
                    e.getMembers().size());
              }

              @Override
              public void memberRemoved(MembershipEvent e) {
                String gone = nodeId(e);
                LOG.warn(
                    "Cluster: origin {} ({}) left or stopped answering; releasing its streams",
                    gone,
                    e.getMember().getAddress());
                if (gone != null) {
                  release(gone);
                }
              }
            });
    reload();
    timer = vertx.setPeriodic(RELOAD_MILLIS, id -> reload());
  }

  /** Vert.x's node id of a member (a member attribute, not Hazelcast's member UUID). */
  private static String nodeId(MembershipEvent e) {
    return e.getMember().getAttribute(VERTX_NODE_ID);
  }

  public void close() {
    closed = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /** This origin's node id (Vert.x's, as the cluster knows it). */
  @Override
  public String node() {
    return node;
  }

  /** The base URL of this origin's HTTP listener as other origins reach it. */
  public String http() {
    return http;
  }

  /**
   * Sets {@link #http()}, once the listener is up (its port may have been chosen then), and lists
   * this origin in {@value #ORIGINS}.
   */
  public Future<Void> advertise(String url) {
    this.http = url;
    StreamLocation me = self("", "");
    origins.view.put(node, me);
    return origins.map.put(node, me.toJson());
  }

  private StreamLocation self(String name, String session) {
    return new StreamLocation(name, session, node, http, true, Instant.now());
  }

  @Override
  public boolean isMember(String nodeId) {
    return manager.getNodes().contains(nodeId);
  }

  public int members() {
    return manager.getNodes().size();
  }

  /**
   * Whether {@code ip} (a literal address) is another origin's HTTP host, as last seen: its
   * forwarded requests are trusted as an edge's are.
   */
  public boolean isOrigin(String ip) {
    for (StreamLocation l : origins.view.values()) {
      if (!l.node().equals(node) && l.http() != null && ip.equals(hostOf(l.http()))) {
        return true;
      }
    }
    return false;
  }

  /** The URL's host as a literal address would print it (IPv6 in full form); no DNS lookup. */
  private static String hostOf(String url) {
    String h = java.net.URI.create(url).getHost();
    if (h != null && h.startsWith("[")) {
      try {
        // A literal IPv6 address: parsed, never looked up.
        return java.net.InetAddress.getByName(h.substring(1, h.length() - 1)).getHostAddress();
      } catch (java.net.UnknownHostException e) {
        return h;
      }
    }
    return h;
  }

  /** The HTTP addresses of the other origins, as last seen. */
  public List<String> otherOrigins() {
    List<String> out = new ArrayList<>();
    for (StreamLocation l : origins.view.values()) {
      if (!l.node().equals(node) && l.http() != null) {
        out.add(l.http());
      }
    }
    out.sort(null);
    return out;
  }

  /**
   * Claims {@code name} for a new session on this origin. It is taken when no origin holds it, or
   * when the holder ended its session or is no longer a member; it is refused when a live session
   * of it runs on another origin.
   */
  public Future<Claim> claim(String name, String session, Instant startedAt) {
    if (http == null) {
      return Future.failedFuture("this origin's HTTP address is not known yet");
    }
    return claim(new StreamLocation(name, session, node, http, true, startedAt), 1);
  }

  private Future<Claim> claim(StreamLocation mine, int attempt) {
    String value = mine.toJson();
    return names
        .map
        .putIfAbsent(mine.name(), value)
        .compose(
            existing -> {
              if (existing == null) {
                return won(mine);
              }
              StreamLocation held = StreamLocation.fromJson(existing);
              if (held != null
                  && held.live()
                  && !held.node().equals(node)
                  && isMember(held.node())) {
                return Future.succeededFuture(new Claim(false, held));
              }
              return names
                  .map
                  .replaceIfPresent(mine.name(), existing, value)
                  .compose(
                      replaced -> {
                        if (replaced) {
                          return won(mine);
                        }
                        if (attempt >= CLAIM_ATTEMPTS) {
                          return Future.failedFuture(
                              "stream " + mine.name() + " changed hands too often to claim");
                        }
                        return claim(mine, attempt + 1);
                      });
            });
  }

  private Future<Claim> won(StreamLocation mine) {
    names.view.put(mine.name(), mine);
    sessions.view.put(mine.session(), mine);
    return sessions.map.put(mine.session(), mine.toJson()).map(new Claim(true, mine));
  }

  /** The session ended (no publisher will return to it): its name may be claimed elsewhere. */
  public Future<Void> ended(String name, String session) {
    return Future.all(
            rewrite(names, name, session, StreamLocation::ended),
            rewrite(sessions, session, session, StreamLocation::ended))
        .mapEmpty();
  }

  /** The session is gone for good (after its retention, or the owner stopped). */
  public Future<Void> forget(String name, String session) {
    return Future.all(
            rewrite(names, name, session, l -> null),
            rewrite(sessions, session, session, l -> null))
        .mapEmpty();
  }

  /**
   * Applies {@code change} to this origin's entry for {@code session} under {@code key} (null
   * removes it); an entry another origin has written since is left alone.
   */
  private Future<Void> rewrite(
      Shared shared,
      String key,
      String session,
      java.util.function.UnaryOperator<StreamLocation> change) {
    return shared
        .map
        .get(key)
        .compose(
            current -> {
              StreamLocation l = StreamLocation.fromJson(current);
              if (l == null || !l.node().equals(node) || !l.session().equals(session)) {
                return Future.succeededFuture();
              }
              StreamLocation next = change.apply(l);
              if (next == null) {
                shared.view.remove(key, l);
                return shared.map.removeIfPresent(key, current).mapEmpty();
              }
              shared.view.put(key, next);
              return shared.map.replaceIfPresent(key, current, next.toJson()).mapEmpty();
            });
  }

  /** The newest session of {@code name} as last seen, or null. */
  public StreamLocation byName(String name) {
    return names.view.get(name);
  }

  public StreamLocation bySession(String session) {
    return sessions.view.get(session);
  }

  /** The origin whose storage holds the recording of {@code session}, as last seen, or null. */
  public StreamLocation recording(String session) {
    return recordings.view.get(session);
  }

  /** Looks {@code name} up in the cluster's map (for a name the view does not have yet). */
  public Future<StreamLocation> lookupName(String name) {
    return lookup(names, name);
  }

  public Future<StreamLocation> lookupSession(String session) {
    return lookup(sessions, session);
  }

  public Future<StreamLocation> lookupRecording(String session) {
    return lookup(recordings, session);
  }

  private Future<StreamLocation> lookup(Shared shared, String key) {
    return shared
        .map
        .get(key)
        .map(StreamLocation::fromJson)
        .map(
            l -> {
              if (l != null && isMember(l.node())) {
                shared.view.put(key, l);
                return l;
              }
              return null;
            });
  }

  /** The live streams other origins own, as last seen. */
  public List<StreamLocation> liveElsewhere() {
    List<StreamLocation> out = new ArrayList<>();
    for (StreamLocation l : names.view.values()) {
      if (l.live() && !l.node().equals(node)) {
        out.add(l);
      }
    }
    return out;
  }

  /**
   * Tells the cluster which recordings this origin's storage holds (session id → stream name), so
   * that any origin forwards their replay requests here. Only the difference from the last call is
   * written.
   */
  public Future<Void> publishRecordings(Map<String, String> held) {
    if (http == null) {
      return Future.succeededFuture();
    }
    List<Future<?>> writes = new ArrayList<>();
    for (Map.Entry<String, String> e : held.entrySet()) {
      if (!publishedRecordings.containsKey(e.getKey())) {
        StreamLocation l = self(e.getValue(), e.getKey());
        String value = l.toJson();
        publishedRecordings.put(e.getKey(), value);
        recordings.view.put(e.getKey(), l);
        writes.add(recordings.map.put(e.getKey(), value));
      }
    }
    for (Map.Entry<String, String> e : Map.copyOf(publishedRecordings).entrySet()) {
      if (!held.containsKey(e.getKey())) {
        publishedRecordings.remove(e.getKey());
        recordings.view.remove(e.getKey());
        writes.add(recordings.map.removeIfPresent(e.getKey(), e.getValue()));
      }
    }
    return Future.all(writes).mapEmpty();
  }

  /**
   * Takes recording storage {@code store} (a description naming the directory or bucket prefix) for
   * this origin; fails when another live origin writes to it.
   */
  public Future<Void> claimStore(String store) {
    String value = self("", "").toJson();
    return stores
        .map
        .putIfAbsent(store, value)
        .compose(
            existing -> {
              StreamLocation held = StreamLocation.fromJson(existing);
              if (existing == null) {
                return Future.succeededFuture();
              }
              if (held != null && !held.node().equals(node) && isMember(held.node())) {
                return Future.failedFuture(
                    "recording storage "
                        + store
                        + " is already used by origin "
                        + held.node()
                        + "; give each origin its own recording.directory or recording.s3.prefix");
              }
              return stores
                  .map
                  .replaceIfPresent(store, existing, value)
                  .compose(
                      ok ->
                          ok
                              ? Future.succeededFuture()
                              : Future.failedFuture(
                                  "recording storage " + store + " was taken meanwhile"));
            });
  }

  /** Removes every entry {@code gone} owned: an origin that died cannot do it itself. */
  private void release(String gone) {
    if (closed || gone.equals(node)) {
      return;
    }
    for (Shared shared : all) {
      releaseFrom(shared, gone);
    }
  }

  private void releaseFrom(Shared shared, String gone) {
    shared
        .map
        .entries()
        .onSuccess(
            entries ->
                entries.forEach(
                    (key, value) -> {
                      StreamLocation l = StreamLocation.fromJson(value);
                      if (l != null && gone.equals(l.node())) {
                        shared.view.remove(key, l);
                        shared
                            .map
                            .removeIfPresent(key, value)
                            .onSuccess(
                                removed -> {
                                  if (removed && shared == names) {
                                    LOG.warn(
                                        "Cluster: stream {} released (its origin {} is gone); it may be published on any origin",
                                        key,
                                        gone);
                                  }
                                });
                      }
                    }))
        .onFailure(
            e ->
                LOG.warn(
                    "Cluster: could not release the entries of {} in {}: {}",
                    gone,
                    shared.mapName,
                    e.toString()));
  }

  /** Replaces the views with the maps' entries, and drops entries of origins that are gone. */
  private void reload() {
    if (closed) {
      return;
    }
    Set<String> members = new HashSet<>(manager.getNodes());
    List<Future<Map<String, String>>> loads = new ArrayList<>();
    for (Shared shared : all) {
      loads.add(shared.map.entries());
    }
    Future.all(loads)
        .onSuccess(
            v -> {
              Set<String> seen = new HashSet<>();
              for (int i = 0; i < all.size(); i++) {
                replaceView(all.get(i), loads.get(i).result(), members, seen);
              }
              suspects = seen;
            })
        .onFailure(e -> LOG.debug("Cluster: map reload failed: {}", e.toString()));
  }

  private void replaceView(
      Shared shared, Map<String, String> entries, Set<String> members, Set<String> seen) {
    for (Map.Entry<String, String> e : entries.entrySet()) {
      StreamLocation l = StreamLocation.fromJson(e.getValue());
      if (l == null || l.node() == null) {
        continue;
      }
      if (members.contains(l.node())) {
        shared.view.put(e.getKey(), l);
        continue;
      }
      String id = shared.mapName + '\n' + e.getKey() + '\n' + e.getValue();
      seen.add(id);
      shared.view.remove(e.getKey(), l);
      if (suspects.contains(id)) {
        shared.map.removeIfPresent(e.getKey(), e.getValue());
      }
    }
    shared.view.keySet().retainAll(entries.keySet());
  }
}
