package dev.headwater.serve;

import dev.headwater.bus.Addresses;
import dev.headwater.bus.TimelineEvent;
import dev.headwater.config.HeadwaterConfig;
import dev.headwater.metrics.Metrics;
import dev.headwater.record.Recorder;
import dev.headwater.record.RecordingReader;
import dev.headwater.timeline.LiveStream;
import dev.headwater.timeline.StreamRegistry;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public HTTP server: LL-HLS playlists, LL-DASH MPDs ({@link DashHandler}) and media, the
 * player page, {@code /api/streams} and {@code /health} ({@code /metrics} is on the {@link
 * OperatorHttpVerticle}). Deployed as several instances sharing one port; each has its own {@link
 * WaiterRegistry} and {@link HttpGuards} and is woken by {@link Addresses#TIMELINE_UPDATED}.
 *
 * <p>Protocols: HTTP/1.1 and h2c (prior knowledge or upgrade) in clear; h2 and HTTP/1.1 negotiated
 * by ALPN when a certificate is configured (Appendix B.1 asks for HTTP/2).
 */
public final class HlsHttpVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(HlsHttpVerticle.class);
  private final HeadwaterConfig config;
  private final StreamRegistry registry;
  private final Metrics metrics;
  private final HttpSide side;

  /** Null: no replay routes (tests of the live path alone). */
  private final Recorder recorder;

  private RecordingReader recordingReader;
  private HttpServer server;
  private WaiterRegistry waiters;

  public HlsHttpVerticle(HeadwaterConfig config, StreamRegistry registry, Metrics metrics) {
    this(config, registry, metrics, new HttpSide(config, registry, null));
  }

  public HlsHttpVerticle(
      HeadwaterConfig config, StreamRegistry registry, Metrics metrics, HttpSide side) {
    this(config, registry, metrics, side, null);
  }

  public HlsHttpVerticle(
      HeadwaterConfig config,
      StreamRegistry registry,
      Metrics metrics,
      HttpSide side,
      Recorder recorder) {
    this.config = config;
    this.registry = registry;
    this.metrics = metrics;
    this.side = side;
    this.recorder = recorder;
  }

  public static HttpServerOptions serverOptions(HeadwaterConfig.Http http) {
    HttpServerOptions o =
        new HttpServerOptions()
            .setHost(http.host())
            // Port 0 means "any free port". Vert.x gives each instance its own port for 0 but
            // shares one
            // random port among the instances of a deployment for a negative value.
            .setPort(http.port() == 0 ? -1 : http.port())
            .setHttp2ClearTextEnabled(true)
            .setTcpNoDelay(true)
            // No WebSocket here: without these, Vert.x puts a WebSocket extension handler in every
            // HTTP/1.1 connection's pipeline, which looks at every request and response.
            .setPerMessageWebSocketCompressionSupported(false)
            .setPerFrameWebSocketCompressionSupported(false)
            // Read-idle only: an all-idle timeout makes Netty attach a listener to every write to
            // track it, a cost paid per response in a wake pass. A backstop: HttpGuards closes
            // idle, slow-header and non-reading connections much sooner.
            .setReadIdleTimeout(120)
            .setMaxInitialLineLength(http.maxInitialLineLength())
            .setMaxHeaderSize(http.maxHeaderSize())
            .setInitialSettings(
                new Http2Settings()
                    .setMaxConcurrentStreams(http.maxConcurrentStreams())
                    .setMaxHeaderListSize(http.maxHeaderListSize()));
    if (!http.tlsCertPath().isEmpty()) {
      o.setSsl(true)
          .setUseAlpn(true)
          .setAlpnVersions(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1))
          .setKeyCertOptions(
              new PemKeyCertOptions()
                  .setCertPath(http.tlsCertPath())
                  .setKeyPath(http.tlsKeyPath()));
    }
    return o;
  }

  @Override
  public Future<?> start() {
    HeadwaterConfig.Hls hls = config.hls();
    PlaylistAssembler assembler = new PlaylistAssembler(hls);
    long mediaSeconds =
        Math.round(
            (hls.windowSegments() + hls.retainedSegmentsAfterRemoval())
                * hls.segmentTargetSeconds());
    CachePolicy cache = new CachePolicy(assembler.targetDuration(), mediaSeconds);
    Cors cors = Cors.of(config.http().corsOrigin());
    waiters =
        new WaiterRegistry(vertx, metrics, config.http().maxWaitersPerRendition(), side.quota());
    waiters.startSweeping();
    HttpGuards guards = new HttpGuards(vertx, metrics, side.quota(), config.http());
    guards.start();
    PlaylistHandler playlists =
        new PlaylistHandler(registry, assembler, waiters, cache, hls.skipBoundarySeconds(), cors);
    RecordedMedia recorded = null;
    if (recorder != null) {
      recordingReader =
          new RecordingReader(vertx, recorder.store(), config.recording().readThreads());
      recorded = new RecordedMedia(recorder.catalogue(), recordingReader);
    }
    MediaHandler media =
        new MediaHandler(
            registry,
            cache,
            answers ->
                new StreamingResponses(
                    vertx,
                    metrics,
                    side.quota(),
                    answers,
                    assembler.blockingTimeoutMillis(),
                    config.http().streamMaxLagSeconds()),
            recorded);
    StreamingResponses streaming = media.streaming();
    streaming.startSweeping();
    DashHandler dash =
        new DashHandler(
            registry,
            new MpdAssembler(config),
            cache,
            java.time.Clock.systemUTC(),
            cors,
            recorded == null ? null : recorded.catalogue());

    vertx
        .eventBus()
        .<TimelineEvent>localConsumer(
            Addresses.TIMELINE_UPDATED,
            m -> {
              LiveStream s = registry.session(m.body().sessionId());
              if (s != null) {
                waiters.wake(s.snapshot(), m.body().publishedNanos());
                streaming.pump(s.sessionId());
              }
            });
    vertx
        .eventBus()
        .<TimelineEvent>localConsumer(
            Addresses.TIMELINE_CHUNK, m -> streaming.pump(m.body().sessionId()));

    Router router = Router.router(vertx);
    // First: a request on a connection over its outbound budget waits for it to drain.
    router.route().handler(guards::admit);
    router
        .route()
        .handler(
            rc -> {
              rc.addHeadersEndHandler(v -> metrics.response(rc.response().getStatusCode()));
              rc.next();
            });
    // Every response already carries its CORS headers (LiveDispatch puts them on arrival); a
    // preflight is answered here.
    router
        .route()
        .method(HttpMethod.OPTIONS)
        .handler(
            rc -> {
              if (Cors.isPreflight(rc.request())) {
                cors.preflight(rc.request());
              } else {
                rc.next();
              }
            });
    router.get("/live/:name/master.m3u8").handler(playlists::multivariant);
    if (recorded != null && config.dvr().windowMinutes() > 0) {
      DvrHandler dvr =
          new DvrHandler(
              registry,
              assembler,
              recorded,
              cache,
              config.dvr().windowMinutes(),
              java.time.Clock.systemUTC());
      router.get("/live/:name/" + DvrAssembler.PLAYLIST).handler(dvr::multivariant);
      router.get("/live/:name/:session/:rendition/" + DvrAssembler.PLAYLIST).handler(dvr::media);
    }
    router.get("/live/:name/:session/:rendition/index.m3u8").handler(playlists::media);
    router.get("/live/:name/manifest.mpd").handler(dash::latest);
    router.get("/live/:name/:session/manifest.mpd").handler(dash::session);
    router.get(MpdAssembler.TIME_PATH).handler(dash::time);
    router.route(HttpMethod.GET, "/live/:name/:session/:rendition/:file").handler(media::handle);
    router.route(HttpMethod.HEAD, "/live/:name/:session/:rendition/:file").handler(media::handle);
    RecordedMedia recordedFinal = recorded;
    OwnerProxy owners =
        side.cluster() == null
            ? null
            : new OwnerProxy(
                vertx,
                side.cluster(),
                registry,
                metrics,
                (name, session) ->
                    recordedFinal != null && recordedFinal.catalogue().get(name, session) != null,
                config.cluster().proxyConnections(),
                config.cluster().maxQueuedForwards());
    router
        .get("/api/streams")
        .handler(
            rc -> {
              // Another origin asking for this one's streams gets only these.
              if (owners == null || rc.request().headers().contains(OwnerProxy.FORWARDED_BY)) {
                rc.json(streams());
              } else {
                owners
                    .gather("/api/streams")
                    .onComplete(ar -> rc.json(streams().addAll(ar.result())));
              }
            });
    if (recorded != null) {
      VodHandler vod = new VodHandler(recorded);
      router
          .get("/api/recordings")
          .handler(
              rc -> {
                if (owners == null || rc.request().headers().contains(OwnerProxy.FORWARDED_BY)) {
                  vod.list(rc);
                } else {
                  owners.gather("/api/recordings").onComplete(ar -> vod.list(rc, ar.result()));
                }
              });
      router.get("/vod/:name/:session/master.m3u8").handler(vod::multivariant);
      router.get("/vod/:name/:session/manifest.mpd").handler(vod::mpd);
      router.get("/vod/:name/:session/:rendition/index.m3u8").handler(vod::media);
      router.route(HttpMethod.GET, "/vod/:name/:session/:rendition/:file").handler(vod::file);
      router.route(HttpMethod.HEAD, "/vod/:name/:session/:rendition/:file").handler(vod::file);
    }
    router.get("/health").handler(side.health()::handle);
    router
        .get("/webjars/*")
        .handler(
            StaticHandler.create("META-INF/resources/webjars")
                .setCachingEnabled(true)
                .setMaxAgeSeconds(86400));
    router
        .get("/*")
        .handler(
            StaticHandler.create("webroot").setIndexPage("index.html").setCachingEnabled(false));

    server = vertx.createHttpServer(serverOptions(config.http()));
    return server
        .connectionHandler(
            conn -> {
              guards.connected(conn);
              Http2FlushConsolidation.install(conn);
            })
        .invalidRequestHandler(req -> invalidRequest(req, cors))
        .requestHandler(new LiveDispatch(router, guards, playlists, media, cors, owners))
        .listen()
        .compose(s -> armFirstRequestDeadline());
  }

  /**
   * One request to this listener from loopback, so that its first connection (which arms the
   * first-request deadline on the listening channel, see {@link HttpGuards}) is ours and not a
   * client's. A failure only leaves the listener to be armed by its first real client.
   */
  private Future<Void> armFirstRequestDeadline() {
    String host = config.http().host();
    String target =
        host.equals("0.0.0.0")
            ? "127.0.0.1"
            : host.equals("::") || host.equals("[::]") ? "::1" : host;
    HttpClientAgent client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setSsl(!config.http().tlsCertPath().isEmpty())
                .setTrustAll(true)
                .setVerifyHost(false)
                .setConnectTimeout(5000));
    return client
        .request(HttpMethod.GET, server.actualPort(), target, "/health")
        .compose(req -> req.send())
        .compose(res -> res.body())
        .<Void>mapEmpty()
        .recover(
            e -> {
              LOG.warn(
                  "Could not reach {}:{} to arm the first-request deadline; the first client will: {}",
                  target,
                  server.actualPort(),
                  e.getMessage());
              return Future.succeededFuture();
            })
        .eventually(client::close);
  }

  /**
   * A request Vert.x could not decode (a request line or header block over its limit, a malformed
   * one): 414, 431 or 400 as Vert.x's default handler answers, but marked not cacheable (a CDN may
   * otherwise keep a 414 by heuristic), then the connection is closed.
   */
  private static void invalidRequest(HttpServerRequest req, Cors cors) {
    cors.decorate(req);
    Throwable cause = req.decoderResult().cause();
    int status =
        cause instanceof TooLongHttpLineException
            ? 414
            : cause instanceof TooLongHttpHeaderException ? 431 : 400;
    req.response()
        .setStatusCode(status)
        .putHeader("Cache-Control", CachePolicy.NO_STORE)
        .end()
        .onComplete(ar -> req.connection().close());
  }

  /** The port actually bound (useful with port 0). */
  public int port() {
    return server.actualPort();
  }

  private JsonArray streams() {
    JsonArray out = new JsonArray();
    for (LiveStream s : registry.liveStreams()) {
      JsonArray renditions = new JsonArray();
      s.renditions()
          .forEach(
              r ->
                  renditions.add(
                      new JsonObject()
                          .put("name", r.name())
                          .put("kind", r.kind().name())
                          .put("height", r.height())));
      out.add(
          new JsonObject()
              .put("name", s.name())
              .put("session", s.sessionId())
              .put("startedAt", s.startedAt().toString())
              .put("ready", s.snapshot().ready())
              .put("url", "/live/" + s.name() + "/master.m3u8")
              .put("dash", "/live/" + s.name() + "/manifest.mpd")
              .put("renditions", renditions));
    }
    return out;
  }
}
