package dev.headwater.serve;

import dev.headwater.cluster.ClusterStreams;
import dev.headwater.cluster.StreamLocation;
import dev.headwater.metrics.Metrics;
import dev.headwater.timeline.LiveStream;
import dev.headwater.timeline.StreamRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.OriginRequestProvider;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyResponse;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Answers, on any origin of a cluster, a viewer's (or an edge's) request for a stream another
 * origin owns: the request is forwarded to the owner and its response streamed back as it arrives
 * (Vert.x's reverse proxy: hop-by-hop headers dropped, bodies piped with backpressure, blocking
 * playlist requests held open). The owner's response goes out unchanged — the same status, {@code
 * Cache-Control}, CORS headers and bytes it would send itself — so a CDN edge may store it under
 * the URL whichever origin it came through (README, "Running several origins": why forwarding
 * rather than a redirect).
 *
 * <p>Between origins the requests travel over HTTP/2 ({@code cluster.proxyConnections} connections
 * per owner), so parked requests do not each hold a connection. A forwarded request carries {@link
 * #FORWARDED_BY}; an origin never forwards such a request again, so a map that is a moment out of
 * date costs a 404, never a loop.
 */
final class OwnerProxy {
  /** Request header naming the origin that forwarded the request. */
  static final String FORWARDED_BY = "Headwater-Forwarded-By";

  /** How long an unknown name is not looked up in the cluster map again. */
  private static final long UNKNOWN_MILLIS = 1000;

  private static final int MAX_UNKNOWN = 10_000;

  /** A segment of the top rendition at a few Mbit/s in flight per stream. */
  private static final int STREAM_WINDOW = 4 * 1024 * 1024;

  /** Many viewers' media in flight on one connection to an owner. */
  private static final int CONNECTION_WINDOW = 64 * 1024 * 1024;

  private static final String PREFIX = "/live/";
  private static final String VOD = "/vod/";

  private final ClusterStreams cluster;
  private final Metrics metrics;

  /** Whether this origin's catalogue has the recording (name, session). */
  private final java.util.function.BiPredicate<String, String> localRecording;

  private final StreamRegistry registry;
  private final HttpProxy proxy;
  private final HttpClient client;
  private final Map<String, Long> unknownUntil = new ConcurrentHashMap<>();

  OwnerProxy(
      Vertx vertx,
      ClusterStreams cluster,
      StreamRegistry registry,
      Metrics metrics,
      java.util.function.BiPredicate<String, String> localRecording,
      int connections,
      int maxQueued) {
    this.localRecording = localRecording;
    this.cluster = cluster;
    this.metrics = metrics;
    this.registry = registry;
    this.client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false)
                .setTcpNoDelay(true)
                .setConnectTimeout(5000)
                // Longer than any blocking playlist request waits at the owner.
                .setIdleTimeout(60)
                // One connection carries many viewers' parts and segments: HTTP/2's default 64 KB
                // windows would let through one window per round trip and cap a connection at a
                // few viewers' worth of media (loadtest/RESULTS.md, cluster forwarding).
                .setInitialSettings(new Http2Settings().setInitialWindowSize(STREAM_WINDOW))
                .setHttp2ConnectionWindowSize(CONNECTION_WINDOW)
                .setTrustAll(true)
                .setVerifyHost(false),
            new PoolOptions().setHttp2MaxSize(connections).setMaxWaitQueueSize(maxQueued));
    this.proxy =
        HttpProxy.reverseProxy(client)
            .origin(
                new OriginRequestProvider() {
                  @Override
                  public Future<HttpClientRequest> create(ProxyContext ctx) {
                    return open(ctx, client);
                  }
                })
            .addInterceptor(
                new ProxyInterceptor() {
                  @Override
                  public Future<ProxyResponse> handleProxyRequest(ProxyContext ctx) {
                    ctx.request().putHeader(FORWARDED_BY, cluster.node());
                    metrics.forwarded();
                    return ctx.sendRequest();
                  }
                });
  }

  /** What a path names: a live stream (by name, or one session of it) or a recording. */
  private record Target(boolean vod, String name, String session) {
    /**
     * /live/NAME/master.m3u8, dvr.m3u8, manifest.mpd (no session); /live/NAME/SESSION/manifest.mpd
     * and /live/NAME/SESSION/RENDITION/FILE; /vod/NAME/SESSION/...; null for anything else.
     */
    static Target of(String path) {
      boolean vod = path.startsWith(VOD);
      if (!vod && !path.startsWith(PREFIX)) {
        return null;
      }
      String[] parts = path.substring(vod ? VOD.length() : PREFIX.length()).split("/", -1);
      if (parts.length < 2 || parts[0].isEmpty() || (vod && parts.length < 3)) {
        return null;
      }
      return new Target(vod, parts[0], parts.length >= 3 ? parts[1] : null);
    }

    String key() {
      return (vod ? "vod/" : "live/") + name + '/' + session;
    }
  }

  /**
   * Forwards {@code req} when another origin owns what it asks for (now, or once the cluster map
   * has answered) and returns true; returns false when this origin serves it. {@code admit} runs
   * the forwarding through the connection's admission ({@link HttpGuards}); {@code here} serves a
   * request the lookup found to be nobody else's.
   */
  boolean forward(
      HttpServerRequest req,
      java.util.function.BiConsumer<HttpServerRequest, Handler<HttpServerRequest>> admit,
      Handler<HttpServerRequest> here) {
    String path = req.path();
    if (path == null || req.headers().contains(FORWARDED_BY)) {
      return false;
    }
    Target t = Target.of(path);
    if (t == null) {
      return false;
    }
    if (owner(t) != null) {
      admit.accept(req, proxy);
      return true;
    }
    if (isLocal(t)) {
      return false;
    }
    String key = t.key();
    Long until = unknownUntil.get(key);
    long now = System.currentTimeMillis();
    if (until != null && until > now) {
      return false;
    }
    // Not known here yet: perhaps a stream that began a moment ago on another origin.
    req.pause();
    Future<StreamLocation> lookup =
        t.vod()
            ? cluster.lookupRecording(t.session())
            : t.session() == null
                ? cluster.lookupName(t.name())
                : cluster.lookupSession(t.session());
    lookup.onComplete(
        ar -> {
          req.resume();
          if (owner(t) == null) {
            if (unknownUntil.size() >= MAX_UNKNOWN) {
              unknownUntil.clear();
            }
            unknownUntil.put(key, now + UNKNOWN_MILLIS);
            here.handle(req);
          } else {
            admit.accept(req, proxy);
          }
        });
    return true;
  }

  /**
   * The other origin that owns what the request names — the recording, the session it names, or the
   * name's newest session — or null when it is this origin's or unknown.
   */
  private StreamLocation owner(Target t) {
    StreamLocation l;
    if (t.vod()) {
      if (localRecording.test(t.name(), t.session())) {
        return null;
      }
      l = cluster.recording(t.session());
      if (l == null || !t.name().equals(l.name())) {
        return null;
      }
    } else if (t.session() != null) {
      if (registry.session(t.session()) != null) {
        return null;
      }
      l = cluster.bySession(t.session());
      if (l == null && !localRecording.test(t.name(), t.session())) {
        // A session forgotten since: its DVR media is served from its recording.
        l = cluster.recording(t.session());
      }
      if (l == null || !t.name().equals(l.name())) {
        return null;
      }
    } else {
      l = cluster.byName(t.name());
      LiveStream local = registry.latest(t.name());
      if (l == null
          || (local != null
              && (local.sessionId().equals(l.session())
                  || !local.startedAt().isBefore(l.startedAt())))) {
        return null;
      }
    }
    return l.node().equals(cluster.node()) ? null : l;
  }

  private boolean isLocal(Target t) {
    if (t.vod()) {
      return localRecording.test(t.name(), t.session());
    }
    return t.session() == null
        ? registry.latest(t.name()) != null
        : registry.session(t.session()) != null;
  }

  /** The request to the owner; resolved again here, as the proxy asks for it. */
  private Future<HttpClientRequest> open(ProxyContext ctx, HttpClient client) {
    HttpServerRequest req = ctx.request().proxiedRequest();
    Target t = Target.of(req.path());
    StreamLocation owner = t == null ? null : owner(t);
    if (owner == null) {
      return Future.failedFuture("the stream's origin is no longer known");
    }
    URI base = owner.uri();
    RequestOptions o =
        new RequestOptions()
            .setMethod(req.method())
            .setHost(base.getHost())
            .setPort(base.getPort())
            .setSsl("https".equals(base.getScheme()))
            .setURI(req.uri());
    return client.request(o);
  }

  /**
   * {@code path} (a JSON list: /api/streams, /api/recordings) as every other origin answers it for
   * itself, concatenated; an origin that does not answer within 2 s is left out of this answer.
   */
  Future<JsonArray> gather(String path) {
    List<Future<JsonArray>> answers = new ArrayList<>();
    for (String http : cluster.otherOrigins()) {
      URI base = URI.create(http);
      RequestOptions o =
          new RequestOptions()
              .setHost(base.getHost())
              .setPort(base.getPort())
              .setSsl("https".equals(base.getScheme()))
              .setURI(path)
              .setTimeout(2000)
              .putHeader(FORWARDED_BY, cluster.node());
      answers.add(
          client
              .request(o)
              .compose(r -> r.send())
              .compose(r -> r.statusCode() == 200 ? r.body() : Future.failedFuture("status"))
              .map(Buffer::toJsonArray)
              .otherwise(new JsonArray()));
    }
    return Future.join(answers)
        .transform(
            ar -> {
              JsonArray all = new JsonArray();
              answers.forEach(f -> all.addAll(f.result()));
              return Future.succeededFuture(all);
            });
  }
}
