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
  private static final long RELOAD_MILLIS = 1000;
  private static final int CLAIM_ATTEMPTS = 5;
  private static final String VERTX_NODE_ID = "__vertx.nodeId";

  /** The outcome of a claim: claimed, or the location of the live session that holds the name. */
  public record Claim(boolean claimed, StreamLocation holder) {}

  private final Vertx vertx;
  private final HazelcastClusterManager manager;
  private final String node;
  private volatile String http;
  private final AsyncMap<String, String> names;
  private final AsyncMap<String, String> sessions;
  private final Map<String, StreamLocation> byName = new ConcurrentHashMap<>();
  private final Map<String, StreamLocation> bySession = new ConcurrentHashMap<>();

  /** Entries (map + key + value) seen last reload with an owner that was not a member. */
  private Set<String> suspects = Set.of();

  private long timer = -1;
  private volatile boolean closed;

  private ClusterStreams(
      Vertx vertx,
      HazelcastClusterManager manager,
      String http,
      AsyncMap<String, String> names,
      AsyncMap<String, String> sessions) {
    this.vertx = vertx;
    this.manager = manager;
    this.node = manager.getNodeId();
    this.http = http;
    this.names = names;
    this.sessions = sessions;
  }

  /**
   * Opens the maps of a clustered Vert.x and starts keeping the view. Streams may be claimed once
   * {@link #advertise} has told where this origin's HTTP listener is.
   */
  public static Future<ClusterStreams> open(Vertx vertx, HazelcastClusterManager manager) {
    Future<AsyncMap<String, String>> n = vertx.sharedData().getAsyncMap(NAMES);
    Future<AsyncMap<String, String>> s = vertx.sharedData().getAsyncMap(SESSIONS);
    return Future.all(n, s)
        .map(
            v -> {
              ClusterStreams c = new ClusterStreams(vertx, manager, null, n.result(), s.result());
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

  /** This origin's node id (Hazelcast's member id). */
  @Override
  public String node() {
    return node;
  }

  /** The base URL of this origin's HTTP listener as other origins reach it. */
  public String http() {
    return http;
  }

  /** Sets {@link #http()}, once the listener is up (its port may have been chosen then). */
  public void advertise(String url) {
    this.http = url;
  }

  @Override
  public boolean isMember(String nodeId) {
    return manager.getNodes().contains(nodeId);
  }

  public int members() {
    return manager.getNodes().size();
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
    byName.put(mine.name(), mine);
    bySession.put(mine.session(), mine);
    return sessions.put(mine.session(), mine.toJson()).map(new Claim(true, mine));
  }

  /** The session ended (no publisher will return to it): its name may be claimed elsewhere. */
  public Future<Void> ended(String name, String session) {
    return Future.all(
            rewrite(names, name, session, StreamLocation::ended, byName),
            rewrite(sessions, session, session, StreamLocation::ended, bySession))
        .mapEmpty();
  }

  /** The session is gone for good (after its retention, or the owner stopped). */
  public Future<Void> forget(String name, String session) {
    return Future.all(
            rewrite(names, name, session, l -> null, byName),
            rewrite(sessions, session, session, l -> null, bySession))
        .mapEmpty();
  }

  /**
   * Applies {@code change} to this origin's entry for {@code session} under {@code key} (null
   * removes it); an entry another origin has written since is left alone.
   */
  private Future<Void> rewrite(
      AsyncMap<String, String> map,
      String key,
      String session,
      java.util.function.UnaryOperator<StreamLocation> change,
      Map<String, StreamLocation> view) {
    return map.get(key)
        .compose(
            current -> {
              StreamLocation l = StreamLocation.fromJson(current);
              if (l == null || !l.node().equals(node) || !l.session().equals(session)) {
                return Future.succeededFuture();
              }
              StreamLocation next = change.apply(l);
              if (next == null) {
                view.remove(key, l);
                return map.removeIfPresent(key, current).mapEmpty();
              }
              view.put(key, next);
              return map.replaceIfPresent(key, current, next.toJson()).mapEmpty();
            });
  }

  /** The newest session of {@code name} as last seen, or null. */
  public StreamLocation byName(String name) {
    return byName.get(name);
  }

  public StreamLocation bySession(String session) {
    return bySession.get(session);
  }

  /** Looks {@code name} up in the cluster's map (for a name the view does not have yet). */
  public Future<StreamLocation> lookupName(String name) {
    return names.get(name).map(StreamLocation::fromJson).map(l -> remember(byName, name, l));
  }

  public Future<StreamLocation> lookupSession(String session) {
    return sessions
        .get(session)
        .map(StreamLocation::fromJson)
        .map(l -> remember(bySession, session, l));
  }

  private StreamLocation remember(Map<String, StreamLocation> view, String key, StreamLocation l) {
    if (l != null && isMember(l.node())) {
      view.put(key, l);
      return l;
    }
    return null;
  }

  /** The live streams other origins own, as last seen. */
  public List<StreamLocation> liveElsewhere() {
    List<StreamLocation> out = new ArrayList<>();
    for (StreamLocation l : byName.values()) {
      if (l.live() && !l.node().equals(node)) {
        out.add(l);
      }
    }
    return out;
  }

  /** Removes every entry {@code gone} owned: an origin that died cannot do it itself. */
  private void release(String gone) {
    if (closed || gone.equals(node)) {
      return;
    }
    releaseFrom(names, gone, true);
    releaseFrom(sessions, gone, false);
  }

  private void releaseFrom(AsyncMap<String, String> map, String gone, boolean log) {
    map.entries()
        .onSuccess(
            entries ->
                entries.forEach(
                    (key, value) -> {
                      StreamLocation l = StreamLocation.fromJson(value);
                      if (l != null && l.node().equals(gone)) {
                        map.removeIfPresent(key, value)
                            .onSuccess(
                                removed -> {
                                  if (removed && log) {
                                    LOG.warn(
                                        "Cluster: stream {} released (its origin {} is gone); it may be published on any origin",
                                        key,
                                        gone);
                                  }
                                });
                      }
                    }))
        .onFailure(
            e -> LOG.warn("Cluster: could not release the streams of {}: {}", gone, e.toString()));
  }

  /** Replaces the view with the maps' entries, and drops entries of origins that are gone. */
  private void reload() {
    if (closed) {
      return;
    }
    Set<String> members = new HashSet<>(manager.getNodes());
    Future<Map<String, String>> n = names.entries();
    Future<Map<String, String>> s = sessions.entries();
    Future.all(n, s)
        .onSuccess(
            v -> {
              Set<String> seen = new HashSet<>();
              replaceView(byName, names, NAMES, n.result(), members, seen);
              replaceView(bySession, sessions, SESSIONS, s.result(), members, seen);
              suspects = seen;
            })
        .onFailure(e -> LOG.debug("Cluster: stream map reload failed: {}", e.toString()));
  }

  private void replaceView(
      Map<String, StreamLocation> view,
      AsyncMap<String, String> map,
      String mapName,
      Map<String, String> entries,
      Set<String> members,
      Set<String> seen) {
    for (Map.Entry<String, String> e : entries.entrySet()) {
      StreamLocation l = StreamLocation.fromJson(e.getValue());
      if (l == null) {
        continue;
      }
      if (members.contains(l.node())) {
        view.put(e.getKey(), l);
        continue;
      }
      String id = mapName + '\n' + e.getKey() + '\n' + e.getValue();
      seen.add(id);
      view.remove(e.getKey(), l);
      if (suspects.contains(id)) {
        map.removeIfPresent(e.getKey(), e.getValue());
      }
    }
    view.keySet().retainAll(entries.keySet());
  }
}
