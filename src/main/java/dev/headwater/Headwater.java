package dev.headwater;

import dev.headwater.bus.LocalCodec;
import dev.headwater.cluster.ClusterSetup;
import dev.headwater.cluster.ClusterStreams;
import dev.headwater.config.ConfigException;
import dev.headwater.config.HeadwaterConfig;
import dev.headwater.encode.FfmpegLauncher;
import dev.headwater.encode.FfmpegLocator;
import dev.headwater.encode.ProcessReaper;
import dev.headwater.ingest.RtmpServerVerticle;
import dev.headwater.metrics.EventLoopHeartbeat;
import dev.headwater.metrics.IngestMeters;
import dev.headwater.metrics.Metrics;
import dev.headwater.record.Catalogue;
import dev.headwater.record.Recorder;
import dev.headwater.record.RecordingStores;
import dev.headwater.serve.HlsHttpVerticle;
import dev.headwater.serve.HttpSide;
import dev.headwater.serve.OperatorHttpVerticle;
import dev.headwater.stream.StreamDirectory;
import dev.headwater.timeline.StreamRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.transport.Transport;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds the shared objects (registry, metrics, process reaper) and deploys
 * the verticles — stream directory (one instance: it claims names and deploys an owner per stream),
 * HTTP (several instances on one port), RTMP ingest. Used by {@link Main} and by integration tests
 * (ports 0).
 */
public final class Headwater {
  private static final Logger LOG = LoggerFactory.getLogger(Headwater.class);

  /** How long stopping waits for queued recording writes before giving up on them (logged). */
  private static final Duration RECORDER_DRAIN = Duration.ofSeconds(15);

  /** How long starting waits for the recording catalogue to load from storage. */
  private static final Duration CATALOGUE_WAIT = Duration.ofSeconds(20);

  private final HeadwaterConfig config;
  private final Metrics metrics = new Metrics();
  private final StreamRegistry registry = new StreamRegistry();
  private final ProcessReaper reaper = new ProcessReaper();
  private final Vertx vertx;
  private final List<String> deployments = new ArrayList<>();
  private final EventLoopHeartbeat heartbeat;
  private String ffmpeg;

  /** How often the cluster learns which recordings this origin holds (replay routing). */
  private static final long RECORDINGS_SYNC_MILLIS = 5000;

  /** Null: a single origin. */
  private final HazelcastClusterManager clusterManager;

  private long recordingsTimer = -1;

  /** Set once start() has joined the cluster's stream map; null on a single origin. */
  private volatile ClusterStreams cluster;

  /** Set once start() has opened the recording store. */
  private volatile Recorder recorder;

  private int httpPort;
  private int metricsPort;
  private int rtmpPort;

  public Headwater(HeadwaterConfig config) {
    this.config = config;
    Transport transport = transport(config.transport());
    VertxOptions options =
        new VertxOptions()
            // Vert.x's own HTTP server metrics look meters up by tags on every response, which
            // doubled the cost of waking 10,000 parked requests (loadtest/RESULTS.md); Headwater
            // counts responses itself.
            .setMetricsOptions(
                new MicrometerMetricsOptions()
                    .setEnabled(true)
                    .addDisabledMetricsCategory(MetricsDomain.HTTP_SERVER));
    var builder =
        Vertx.builder()
            .withTransport(transport)
            .withMetrics(new MicrometerMetricsFactory(metrics.registry()));
    if (config.cluster().enabled()) {
      clusterManager = ClusterSetup.clusterManager(config.cluster());
      options.setEventBusOptions(ClusterSetup.eventBus(config.cluster()));
      LOG.info(
          "Joining cluster {} from {} (members: {})",
          config.cluster().name(),
          config.cluster().host(),
          config.cluster().members());
      // Blocks the caller (main, or a test) until this origin has joined: nothing else can start.
      try {
        this.vertx =
            builder
                .with(options)
                .withClusterManager(clusterManager)
                .buildClustered()
                .toCompletionStage()
                .toCompletableFuture()
                .join();
      } catch (java.util.concurrent.CompletionException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        throw new IllegalStateException(
            "could not join cluster "
                + config.cluster().name()
                + " from "
                + config.cluster().host()
                + ": "
                + cause,
            cause);
      }
    } else {
      clusterManager = null;
      this.vertx = builder.with(options).build();
    }
    LocalCodec.registerAll(vertx);
    this.heartbeat =
        EventLoopHeartbeat.start(
            ((VertxInternal) vertx).nettyEventLoopGroup(), metrics.meterRegistry());
    LOG.info("Network transport: {}", transport.name());
  }

  /**
   * The Vert.x transport named by the {@code transport} setting. "auto" prefers Netty's native
   * epoll: on the wake path of thousands of parked requests it costs less per socket write than
   * NIO.
   *
   * @throws ConfigException when the named transport cannot load on this machine
   */
  static Transport transport(String name) {
    Transport t =
        switch (name) {
          case "nio" -> Transport.NIO;
          case "epoll" -> Transport.EPOLL;
          case "io_uring" -> Transport.IO_URING;
          default ->
              Transport.EPOLL != null && Transport.EPOLL.available()
                  ? Transport.EPOLL
                  : Transport.NIO;
        };
    if (t == null || !t.available()) {
      throw new ConfigException(
          "transport: "
              + name
              + " cannot be used on this machine ("
              + (t == null ? "its classes are missing" : t.unavailabilityCause())
              + "); use auto or nio");
    }
    return t;
  }

  public Future<Headwater> start() {
    AtomicReference<RtmpServerVerticle> rtmp = new AtomicReference<>();
    AtomicReference<HlsHttpVerticle> http = new AtomicReference<>();
    Future<ClusterStreams> joined =
        clusterManager == null
            ? Future.succeededFuture()
            : ClusterStreams.open(vertx, clusterManager);
    return joined
        .compose(
            c -> {
              if (c == null) {
                return Future.succeededFuture(c);
              }
              // Before the recorder touches its storage: another origin's unfinished recordings
              // there
              // would look like a crash's leftovers to this one.
              return c.claimStore(RecordingStores.identity(config, config.cluster().host()))
                  .map(c)
                  .onFailure(e -> c.close());
            })
        .compose(
            c -> {
              cluster = c;
              if (c != null) {
                io.micrometer.core.instrument.Gauge.builder(
                        "headwater_cluster_origins", c, ClusterStreams::members)
                    .description("Origins in this origin's cluster, itself included")
                    .register(metrics.meterRegistry());
              }
              return startJoined(rtmp, http, new HttpSide(config, registry, heartbeat, c));
            });
  }

  private Future<Headwater> startJoined(
      AtomicReference<RtmpServerVerticle> rtmp,
      AtomicReference<HlsHttpVerticle> http,
      HttpSide side) {
    OperatorHttpVerticle operator = OperatorHttpVerticle.of(config, metrics, side);
    return vertx
        .executeBlocking(
            () -> {
              Path data = Path.of(config.dataDir());
              Files.createDirectories(data);
              FfmpegLocator.extractTo(data.resolve("ffmpeg"));
              recorder =
                  new Recorder(
                      RecordingStores.open(config),
                      new Catalogue(),
                      config.recording(),
                      metrics.meterRegistry(),
                      Clock.systemUTC());
              recorder.start();
              try {
                // Up means /api/recordings is complete, unless storage is too slow to tell.
                recorder.rebuilt().get(CATALOGUE_WAIT.toSeconds(), TimeUnit.SECONDS);
              } catch (TimeoutException e) {
                LOG.warn(
                    "The recording catalogue is still loading after {} s; recordings appear as it completes",
                    CATALOGUE_WAIT.toSeconds());
              }
              return FfmpegLocator.ffmpeg(config.ffmpeg().path());
            })
        .compose(
            path -> {
              ffmpeg = path;
              return vertx.deployVerticle(
                  new StreamDirectory(
                      config,
                      registry,
                      metrics,
                      new FfmpegLauncher(vertx, reaper),
                      ffmpeg,
                      recorder,
                      cluster));
            })
        .compose(
            id -> {
              deployments.add(id);
              return vertx.deployVerticle(
                  () -> {
                    HlsHttpVerticle v =
                        new HlsHttpVerticle(config, registry, metrics, side, recorder);
                    http.compareAndSet(null, v);
                    return v;
                  },
                  new DeploymentOptions().setInstances(config.http().instances()));
            })
        .compose(
            id -> {
              deployments.add(id);
              httpPort = http.get().port();
              if (cluster != null) {
                cluster.advertise(ClusterSetup.advertisedHttp(config.cluster(), httpPort));
                LOG.info(
                    "Cluster {}: this origin is {}, forwarded requests reach it at {} ({} origins)",
                    config.cluster().name(),
                    cluster.node(),
                    cluster.http(),
                    cluster.members());
              }
              return vertx.deployVerticle(operator);
            })
        .compose(
            id -> {
              deployments.add(id);
              metricsPort = operator.port();
              RtmpServerVerticle v =
                  new RtmpServerVerticle(config.rtmp(), new IngestMeters(metrics.meterRegistry()));
              rtmp.set(v);
              return vertx.deployVerticle(v);
            })
        .map(
            id -> {
              deployments.add(id);
              rtmpPort = rtmp.get().port();
              if (config.rtmp().streamKeys().isEmpty()) {
                LOG.warn(
                    "rtmp.streamKeys is empty: ANYONE who can reach port {} may publish. Set keys in the config or HEADWATER_RTMP_STREAM_KEYS.",
                    rtmpPort);
              }
              if (cluster != null) {
                publishRecordings();
                recordingsTimer =
                    vertx.setPeriodic(RECORDINGS_SYNC_MILLIS, t -> publishRecordings());
              }
              LOG.info(
                  "Headwater is up: HTTP on port {} ({} instance(s)), RTMP on port {}, /metrics and /health on {}:{}",
                  httpPort,
                  config.http().instances(),
                  rtmpPort,
                  config.metrics().host(),
                  metricsPort);
              return this;
            });
  }

  /**
   * Stops the server without blocking the caller: RTMP first (no new publishers), then the stream
   * directory (every stream ends and its FFmpeg drains), then any FFmpeg still alive is killed on a
   * worker thread, then Vert.x closes.
   */
  public Future<Void> stop() {
    Future<Void> undeployed = Future.succeededFuture();
    for (int i = deployments.size() - 1; i >= 0; i--) {
      String id = deployments.get(i);
      undeployed = undeployed.transform(ar -> vertx.undeploy(id));
    }
    heartbeat.stop();
    return undeployed
        .andThen(
            ar -> {
              if (recordingsTimer >= 0) {
                vertx.cancelTimer(recordingsTimer);
              }
              if (cluster != null) {
                cluster.close();
              }
            })
        .transform(
            ar ->
                vertx.executeBlocking(
                    () -> {
                      reaper.killAll();
                      if (recorder != null) {
                        // The streams have ended and queued their last groups and indexes.
                        recorder.stop(RECORDER_DRAIN);
                      }
                      return null;
                    }))
        .transform(ar -> vertx.close());
  }

  /** Tells the cluster the sessions this origin's recordings are of (their replay comes here). */
  private void publishRecordings() {
    java.util.Map<String, String> held = new java.util.HashMap<>();
    for (var r : recorder.catalogue().list()) {
      held.put(r.session(), r.name());
    }
    cluster
        .publishRecordings(held)
        .onFailure(
            e -> LOG.warn("Cluster: could not publish the recordings list: {}", e.toString()));
  }

  /** The recorder and its catalogue; null before start() has opened the store. */
  public Recorder recorder() {
    return recorder;
  }

  /** The cluster's stream map; null on a single origin. */
  public ClusterStreams cluster() {
    return cluster;
  }

  public Vertx vertx() {
    return vertx;
  }

  public HeadwaterConfig config() {
    return config;
  }

  public StreamRegistry registry() {
    return registry;
  }

  public Metrics metrics() {
    return metrics;
  }

  public ProcessReaper reaper() {
    return reaper;
  }

  public String ffmpeg() {
    return ffmpeg;
  }

  public int httpPort() {
    return httpPort;
  }

  public int rtmpPort() {
    return rtmpPort;
  }

  /** Port of the operator listener ({@code /metrics}, {@code /health}). */
  public int metricsPort() {
    return metricsPort;
  }
}
