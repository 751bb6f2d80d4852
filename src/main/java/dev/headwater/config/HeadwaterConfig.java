package dev.headwater.config;

import java.util.List;
import java.util.Map;

/**
 * Every setting of Headwater, typed. {@link #defaults()} is the single source of the default
 * values; {@code conf/headwater.yaml} repeats them with comments, and a test checks the two agree.
 */
public record HeadwaterConfig(
    Http http,
    Rtmp rtmp,
    Ingest ingest,
    Ffmpeg ffmpeg,
    List<Rung> ladder,
    Audio audio,
    Hls hls,
    Demo demo,
    String dataDir,
    String transport,
    MetricsListener metrics,
    Dash dash,
    Recording recording,
    Dvr dvr,
    Cluster cluster) {

  /**
   * Values of {@code transport}: Netty's native Linux transports, the JDK's NIO, or the best
   * available.
   */
  public static final List<String> TRANSPORTS = List.of("auto", "epoll", "io_uring", "nio");

  /**
   * Public HTTP listener serving playlists, media, the player page and {@code /health}, with the
   * limits that keep hostile or slow clients from hurting the others (README, "Hardening"). {@code
   * trustedClients}: IP addresses or CIDR blocks (CDN edges) exempt from the per-client and
   * per-connection caps on parked requests.
   */
  public record Http(
      String host,
      int port,
      int instances,
      String tlsCertPath,
      String tlsKeyPath,
      String corsOrigin,
      int maxWaitersPerRendition,
      int maxConcurrentStreams,
      int maxWaitersPerConnection,
      int maxWaitersPerClient,
      int maxWaiterBytes,
      List<String> trustedClients,
      int writeBufferBytes,
      int sendBufferBytes,
      double writeStallSeconds,
      double requestHeaderTimeoutSeconds,
      int maxInitialLineLength,
      int maxHeaderSize,
      int maxHeaderListSize,
      double streamMaxLagSeconds) {}

  /**
   * The operator listener: {@code /metrics} (Prometheus) and {@code /health}, on loopback by
   * default. {@code token}: when set, {@code /metrics} wants {@code Authorization: Bearer TOKEN}.
   */
  public record MetricsListener(String host, int port, String token) {}

  /**
   * RTMP ingest listener. {@code streamKeys} maps a stream name (or "*" for any name) to its key.
   */
  public record Rtmp(
      String host,
      int port,
      String app,
      Map<String, String> streamKeys,
      int maxMessageSize,
      int maxQueuedBytes,
      int chunkSize,
      int windowAckSize,
      int maxPublishers,
      int maxConnections,
      int maxConnectionsPerAddress,
      double maxNewConnectionsPerAddressPerSecond,
      int maxPendingBytes,
      int maxPendingBytesTotal,
      double handshakeTimeoutSeconds,
      double publishTimeoutSeconds,
      double firstMediaTimeoutSeconds,
      double mediaIdleTimeoutSeconds) {}

  /** What happens to a stream when its publisher drops or another publisher asks for its name. */
  public record Ingest(double reconnectGraceSeconds, double takeoverAfterSeconds) {}

  /** FFmpeg supervision. */
  public record Ffmpeg(
      String path,
      String preset,
      boolean passthrough,
      int frameRate,
      double keyframeIntervalSeconds,
      int threads,
      double restartBackoffInitialSeconds,
      double restartBackoffMaxSeconds,
      int maxRestarts,
      double healthyRunSeconds,
      double stallTimeoutSeconds,
      double startTimeoutSeconds) {}

  /** One video rung of the ABR ladder. */
  public record Rung(String name, int height, int videoBitrateKbps, int maxBitrateKbps) {}

  /** The single AAC audio rendition. */
  public record Audio(int bitrateKbps, int sampleRate, int channels) {}

  /** Low-latency HLS packaging and serving. */
  public record Hls(
      double partTargetSeconds,
      double segmentTargetSeconds,
      int partHoldBackParts,
      int windowSegments,
      int retainedSegmentsAfterRemoval,
      double skipBoundarySeconds,
      double endedStreamRetentionSeconds,
      int maxFmp4BoxBytes,
      String startVariant) {}

  /**
   * Low-latency DASH from the same CMAF media (README, "DASH"): the latency the MPD's
   * ServiceDescription asks players to hold, and the playback rates they may use to hold it.
   */
  public record Dash(double targetLatencySeconds, double minPlaybackRate, double maxPlaybackRate) {}

  /**
   * What is recorded and where (README, "Recording and replay"). {@code streams}: "all", "none", or
   * a regular expression the whole stream name must match. {@code backend}: "local" (files under
   * {@code directory}, or DATA_DIR/recordings when it is empty) or "s3".
   */
  public record Recording(
      String streams,
      String backend,
      String directory,
      S3 s3,
      int maxPendingSegments,
      double retryMinSeconds,
      double retryMaxSeconds,
      double retentionHours,
      double maxTotalGigabytes,
      int readThreads) {}

  /**
   * An S3-compatible object store. Credentials are not settings: they come from the environment
   * (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a profile, or an instance role).
   */
  public record S3(
      String endpoint, String bucket, String prefix, String region, boolean pathStyle) {}

  /** How far back viewers of a live stream may rewind, served from the recording. */
  public record Dvr(double windowMinutes) {}

  /**
   * Several origins as one cluster (README, "Running several origins"). {@code host}: the address
   * this node binds for cluster traffic and gives the others; {@code members}: the other origins
   * ({@code host} or {@code host:port}), found by TCP/IP, never by multicast; {@code
   * advertiseHttp}: the URL other origins use to forward a viewer's request to this one (empty:
   * {@code http://host:http.port}).
   */
  public record Cluster(
      boolean enabled,
      String name,
      String host,
      int port,
      int eventBusPort,
      List<String> members,
      String advertiseHttp,
      double memberTimeoutSeconds,
      int proxyConnections,
      int maxQueuedForwards,
      double relayAckTimeoutSeconds,
      double relayIdleSeconds) {}

  /** The built-in test-pattern publisher started with {@code --demo}. */
  public record Demo(String streamName, int width, int height, int videoBitrateKbps) {}

  public static HeadwaterConfig defaults() {
    return new HeadwaterConfig(
        new Http(
            "0.0.0.0",
            8080,
            2,
            "",
            "",
            "*",
            20_000,
            1000,
            100,
            1000,
            256 * 1024 * 1024,
            List.of(),
            256 * 1024,
            256 * 1024,
            10.0,
            10.0,
            4096,
            8192,
            8192,
            4.0),
        new Rtmp(
            "0.0.0.0",
            1935,
            "live",
            Map.of(),
            8 * 1024 * 1024,
            8 * 1024 * 1024,
            4096,
            2_500_000,
            16,
            1000,
            16,
            2.0,
            64 * 1024,
            16 * 1024 * 1024,
            5.0,
            10.0,
            10.0,
            15.0),
        new Ingest(10.0, 5.0),
        new Ffmpeg("", "veryfast", false, 30, 0.0, 0, 0.5, 10.0, 10, 60.0, 10.0, 20.0),
        List.of(
            new Rung("720p", 720, 2800, 3000),
            new Rung("480p", 480, 1400, 1500),
            new Rung("360p", 360, 800, 900)),
        new Audio(128, 48000, 2),
        new Hls(0.2, 2.0, 3, 30, 6, 12.0, 60.0, 16 * 1024 * 1024, ""),
        new Demo("demo", 1280, 720, 4000),
        "data",
        "auto",
        new MetricsListener("127.0.0.1", 9180, ""),
        new Dash(1.2, 0.96, 1.04),
        new Recording(
            "all",
            "local",
            "",
            new S3("", "", "headwater/", "us-east-1", true),
            30,
            0.5,
            30.0,
            168.0,
            20.0,
            4),
        new Dvr(60.0),
        new Cluster(
            false, "headwater", "127.0.0.1", 5701, 0, List.of(), "", 10.0, 8, 10_000, 30.0, 30.0));
  }
}
