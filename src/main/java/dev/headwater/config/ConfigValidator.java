package dev.headwater.config;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks value ranges and cross-field rules; each failure names the key and the problem. */
final class ConfigValidator {
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

  private ConfigValidator() {}

  static HeadwaterConfig validate(HeadwaterConfig c) {
    port("http.port", c.http().port());
    range("http.instances", c.http().instances(), 1, 64);
    range("http.maxWaitersPerRendition", c.http().maxWaitersPerRendition(), 1, 1_000_000);
    range("http.maxConcurrentStreams", c.http().maxConcurrentStreams(), 10, 100_000);
    http(c.http());
    metrics(c);
    if (c.http().tlsCertPath().isEmpty() != c.http().tlsKeyPath().isEmpty()) {
      throw new ConfigException(
          "http.tlsCertPath/http.tlsKeyPath: set both to enable TLS, or neither");
    }
    port("rtmp.port", c.rtmp().port());
    name("rtmp.app", c.rtmp().app());
    for (String streamName : c.rtmp().streamKeys().keySet()) {
      if (!streamName.equals("*")) {
        name("rtmp.streamKeys." + streamName, streamName);
      }
      if (c.rtmp().streamKeys().get(streamName).isBlank()) {
        throw new ConfigException("rtmp.streamKeys." + streamName + ": key must not be empty");
      }
    }
    range("rtmp.maxMessageSize", c.rtmp().maxMessageSize(), 64 * 1024, 64 * 1024 * 1024);
    range("rtmp.maxQueuedBytes", c.rtmp().maxQueuedBytes(), 64 * 1024, 256 * 1024 * 1024);
    range("rtmp.chunkSize", c.rtmp().chunkSize(), 128, 65536);
    range("rtmp.windowAckSize", c.rtmp().windowAckSize(), 4096, Integer.MAX_VALUE);
    range("rtmp.maxPublishers", c.rtmp().maxPublishers(), 1, 1000);
    range("rtmp.maxConnections", c.rtmp().maxConnections(), 1, 1_000_000);
    range(
        "rtmp.maxConnectionsPerAddress",
        c.rtmp().maxConnectionsPerAddress(),
        1,
        c.rtmp().maxConnections());
    double rate = c.rtmp().maxNewConnectionsPerAddressPerSecond();
    if (!(rate > 0 && rate <= 10_000)) {
      throw new ConfigException(
          "rtmp.maxNewConnectionsPerAddressPerSecond: must be above 0 and at most 10000 (got "
              + rate
              + ")");
    }
    range("rtmp.maxPendingBytes", c.rtmp().maxPendingBytes(), 4096, c.rtmp().maxMessageSize());
    range(
        "rtmp.maxPendingBytesTotal",
        c.rtmp().maxPendingBytesTotal(),
        c.rtmp().maxPendingBytes(),
        Integer.MAX_VALUE);
    deadline("rtmp.handshakeTimeoutSeconds", c.rtmp().handshakeTimeoutSeconds());
    deadline("rtmp.publishTimeoutSeconds", c.rtmp().publishTimeoutSeconds());
    deadline("rtmp.firstMediaTimeoutSeconds", c.rtmp().firstMediaTimeoutSeconds());
    deadline("rtmp.mediaIdleTimeoutSeconds", c.rtmp().mediaIdleTimeoutSeconds());
    range("ffmpeg.frameRate", c.ffmpeg().frameRate(), 1, 120);
    range("ffmpeg.threads", c.ffmpeg().threads(), 0, 64);
    keyframeInterval(c);
    positive("ffmpeg.restartBackoffInitialSeconds", c.ffmpeg().restartBackoffInitialSeconds());
    if (c.ffmpeg().restartBackoffMaxSeconds() < c.ffmpeg().restartBackoffInitialSeconds()) {
      throw new ConfigException(
          "ffmpeg.restartBackoffMaxSeconds: must be at least ffmpeg.restartBackoffInitialSeconds");
    }
    range("ffmpeg.maxRestarts", c.ffmpeg().maxRestarts(), 0, 10_000);
    positive("ffmpeg.healthyRunSeconds", c.ffmpeg().healthyRunSeconds());
    finite("ffmpeg.healthyRunSeconds", c.ffmpeg().healthyRunSeconds());
    finite("ingest.reconnectGraceSeconds", c.ingest().reconnectGraceSeconds());
    if (c.ingest().reconnectGraceSeconds() < 0 || c.ingest().reconnectGraceSeconds() > 600) {
      throw new ConfigException(
          "ingest.reconnectGraceSeconds: must be between 0 and 600 (got "
              + c.ingest().reconnectGraceSeconds()
              + ")");
    }
    finite("ingest.takeoverAfterSeconds", c.ingest().takeoverAfterSeconds());
    positive("ingest.takeoverAfterSeconds", c.ingest().takeoverAfterSeconds());
    positive("ffmpeg.stallTimeoutSeconds", c.ffmpeg().stallTimeoutSeconds());
    positive("ffmpeg.startTimeoutSeconds", c.ffmpeg().startTimeoutSeconds());
    if (!Set.of("ultrafast", "superfast", "veryfast", "faster", "fast", "medium")
        .contains(c.ffmpeg().preset())) {
      throw new ConfigException(
          "ffmpeg.preset: must be one of ultrafast, superfast, veryfast, faster, fast, medium (got '"
              + c.ffmpeg().preset()
              + "')");
    }
    if (c.ladder().isEmpty()) {
      throw new ConfigException("ladder: must list at least one rung");
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < c.ladder().size(); i++) {
      HeadwaterConfig.Rung r = c.ladder().get(i);
      String at = "ladder[" + i + "]";
      name(at + ".name", r.name());
      if (!names.add(r.name()) || r.name().equals("audio")) {
        throw new ConfigException(at + ".name: '" + r.name() + "' is used twice or reserved");
      }
      range(at + ".height", r.height(), 90, 4320);
      if (r.height() % 2 != 0) {
        throw new ConfigException(at + ".height: must be even (H.264 4:2:0), got " + r.height());
      }
      range(at + ".videoBitrateKbps", r.videoBitrateKbps(), 50, 100_000);
      range(at + ".maxBitrateKbps", r.maxBitrateKbps(), r.videoBitrateKbps(), 200_000);
    }
    range("audio.bitrateKbps", c.audio().bitrateKbps(), 16, 512);
    if (!Set.of(44100, 48000).contains(c.audio().sampleRate())) {
      throw new ConfigException(
          "audio.sampleRate: must be 44100 or 48000 (got " + c.audio().sampleRate() + ")");
    }
    range("audio.channels", c.audio().channels(), 1, 2);
    HeadwaterConfig.Hls h = c.hls();
    finite("hls.partTargetSeconds", h.partTargetSeconds());
    finite("hls.segmentTargetSeconds", h.segmentTargetSeconds());
    finite("hls.skipBoundarySeconds", h.skipBoundarySeconds());
    finite("hls.endedStreamRetentionSeconds", h.endedStreamRetentionSeconds());
    if (h.partTargetSeconds() < 0.05 || h.partTargetSeconds() > 2.0) {
      throw new ConfigException(
          "hls.partTargetSeconds: must be between 0.05 and 2.0 (got "
              + h.partTargetSeconds()
              + ")");
    }
    if (h.segmentTargetSeconds() < 2 * h.partTargetSeconds() || h.segmentTargetSeconds() > 10) {
      throw new ConfigException(
          "hls.segmentTargetSeconds: must be at least twice hls.partTargetSeconds and at most 10 (got "
              + h.segmentTargetSeconds()
              + ")");
    }
    // [AUTH] 14.3: PART-HOLD-BACK MUST be at least three part targets.
    range("hls.partHoldBackParts", h.partHoldBackParts(), 3, 20);
    // [AUTH] 8.11: a live playlist MUST hold at least six segments.
    range("hls.windowSegments", h.windowSegments(), 6, 10_000);
    range("hls.retainedSegmentsAfterRemoval", h.retainedSegmentsAfterRemoval(), 0, 10_000);
    int td = (int) Math.ceil(h.segmentTargetSeconds());
    // RFC 8216bis 4.4.3.8: CAN-SKIP-UNTIL MUST be at least six target durations.
    if (h.skipBoundarySeconds() != 0 && h.skipBoundarySeconds() < 6 * td) {
      throw new ConfigException(
          "hls.skipBoundarySeconds: must be 0 (no delta updates) or at least 6 target durations ("
              + 6 * td
              + "), got "
              + h.skipBoundarySeconds());
    }
    if (h.skipBoundarySeconds() != 0
        && h.skipBoundarySeconds() >= h.windowSegments() * h.segmentTargetSeconds()) {
      throw new ConfigException(
          "hls.skipBoundarySeconds: must be shorter than the playlist window (hls.windowSegments × hls.segmentTargetSeconds)");
    }
    nonNegative("hls.endedStreamRetentionSeconds", h.endedStreamRetentionSeconds());
    range("hls.maxFmp4BoxBytes", h.maxFmp4BoxBytes(), 64 * 1024, 256 * 1024 * 1024);
    if (!h.startVariant().isEmpty()
        && !h.startVariant().equals("source")
        && c.ladder().stream().noneMatch(r -> r.name().equals(h.startVariant()))) {
      throw new ConfigException(
          "hls.startVariant: must be empty, \"source\" or the name of a ladder rung (got '"
              + h.startVariant()
              + "')");
    }
    dash(c);
    recording(c);
    if (c.dataDir().isBlank()) {
      throw new ConfigException("dataDir: must name a directory");
    }
    if (!HeadwaterConfig.TRANSPORTS.contains(c.transport())) {
      throw new ConfigException(
          "transport: must be one of "
              + String.join(", ", HeadwaterConfig.TRANSPORTS)
              + " (got '"
              + c.transport()
              + "')");
    }
    name("demo.streamName", c.demo().streamName());
    range("demo.width", c.demo().width(), 160, 3840);
    range("demo.height", c.demo().height(), 90, 2160);
    range("demo.videoBitrateKbps", c.demo().videoBitrateKbps(), 100, 50_000);
    return c;
  }

  private static void dash(HeadwaterConfig c) {
    HeadwaterConfig.Dash d = c.dash();
    seconds("dash.targetLatencySeconds", d.targetLatencySeconds(), 0.5, 60);
    finite("dash.minPlaybackRate", d.minPlaybackRate());
    finite("dash.maxPlaybackRate", d.maxPlaybackRate());
    if (d.minPlaybackRate() < 0.5 || d.minPlaybackRate() > 1.0) {
      throw new ConfigException(
          "dash.minPlaybackRate: must be between 0.5 and 1.0 (got " + d.minPlaybackRate() + ")");
    }
    if (d.maxPlaybackRate() < 1.0 || d.maxPlaybackRate() > 2.0) {
      throw new ConfigException(
          "dash.maxPlaybackRate: must be between 1.0 and 2.0 (got " + d.maxPlaybackRate() + ")");
    }
  }

  private static void recording(HeadwaterConfig c) {
    HeadwaterConfig.Recording r = c.recording();
    if (!r.streams().equals("all") && !r.streams().equals("none")) {
      try {
        java.util.regex.Pattern.compile(r.streams());
      } catch (java.util.regex.PatternSyntaxException e) {
        throw new ConfigException(
            "recording.streams: must be all, none or a regular expression ("
                + e.getDescription()
                + " in '"
                + r.streams()
                + "')");
      }
    }
    if (!r.backend().equals("local") && !r.backend().equals("s3")) {
      throw new ConfigException(
          "recording.backend: must be local or s3 (got '" + r.backend() + "')");
    }
    if (r.backend().equals("s3") && r.s3().bucket().isBlank()) {
      throw new ConfigException(
          "recording.s3.bucket: must name a bucket with recording.backend s3");
    }
    if (!r.s3().endpoint().isEmpty()) {
      try {
        java.net.URI u = java.net.URI.create(r.s3().endpoint());
        if (u.getScheme() == null
            || !(u.getScheme().equals("http") || u.getScheme().equals("https"))
            || u.getHost() == null) {
          throw new IllegalArgumentException("not an http(s) URL");
        }
      } catch (IllegalArgumentException e) {
        throw new ConfigException(
            "recording.s3.endpoint: must be an http(s) URL or empty for AWS (got '"
                + r.s3().endpoint()
                + "')");
      }
    }
    range("recording.maxPendingSegments", r.maxPendingSegments(), 1, 10_000);
    seconds("recording.retryMinSeconds", r.retryMinSeconds(), 0.05, 600);
    seconds("recording.retryMaxSeconds", r.retryMaxSeconds(), r.retryMinSeconds(), 3600);
    nonNegative("recording.retentionHours", r.retentionHours());
    nonNegative("recording.maxTotalGigabytes", r.maxTotalGigabytes());
    range("recording.readThreads", r.readThreads(), 1, 256);
    nonNegative("dvr.windowMinutes", c.dvr().windowMinutes());
    cluster(c.cluster());
  }

  /** The cluster settings matter only when it is on; then the node must be reachable by others. */
  private static void cluster(HeadwaterConfig.Cluster k) {
    if (!k.enabled()) {
      return;
    }
    if (k.name().isBlank()) {
      throw new ConfigException("cluster.name: must not be empty");
    }
    if (k.host().isBlank() || k.host().equals("0.0.0.0") || k.host().equals("::")) {
      throw new ConfigException(
          "cluster.host: must be the address the other origins reach this one at, not a wildcard"
              + " (got '"
              + k.host()
              + "')");
    }
    range("cluster.port", k.port(), 1, 65535);
    range("cluster.eventBusPort", k.eventBusPort(), 0, 65535);
    for (int i = 0; i < k.members().size(); i++) {
      String m = k.members().get(i);
      if (m == null || m.isBlank() || m.contains("/") || m.contains(" ")) {
        throw new ConfigException(
            "cluster.members[" + i + "]: must be host or host:port (got '" + m + "')");
      }
    }
    if (!k.advertiseHttp().isEmpty()) {
      try {
        java.net.URI u = new java.net.URI(k.advertiseHttp());
        if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme()))
            || u.getHost() == null
            || u.getPort() < 0) {
          throw new IllegalArgumentException();
        }
      } catch (java.net.URISyntaxException | IllegalArgumentException e) {
        throw new ConfigException(
            "cluster.advertiseHttp: must be http(s)://HOST:PORT or empty (got '"
                + k.advertiseHttp()
                + "')");
      }
    }
    seconds("cluster.memberTimeoutSeconds", k.memberTimeoutSeconds(), 2, 600);
    range("cluster.proxyConnections", k.proxyConnections(), 1, 1000);
    range("cluster.maxQueuedForwards", k.maxQueuedForwards(), 1, 1_000_000);
    seconds("cluster.relayAckTimeoutSeconds", k.relayAckTimeoutSeconds(), 1, 600);
    seconds("cluster.relayIdleSeconds", k.relayIdleSeconds(), 1, 600);
  }

  /** The limits on hostile and slow clients (README, "Hardening"). */
  private static void http(HeadwaterConfig.Http h) {
    try {
      CorsOrigins.parse(h.corsOrigin());
    } catch (IllegalArgumentException e) {
      throw new ConfigException("http.corsOrigin: " + e.getMessage());
    }
    range("http.maxWaitersPerConnection", h.maxWaitersPerConnection(), 1, 100_000);
    range("http.maxWaitersPerClient", h.maxWaitersPerClient(), 1, 1_000_000);
    range("http.maxWaiterBytes", h.maxWaiterBytes(), 1024 * 1024, Integer.MAX_VALUE);
    for (int i = 0; i < h.trustedClients().size(); i++) {
      String entry = h.trustedClients().get(i);
      try {
        Cidr.parse(entry);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(
            "http.trustedClients[" + i + "]: " + e.getMessage() + " (got '" + entry + "')");
      }
    }
    range("http.writeBufferBytes", h.writeBufferBytes(), 16 * 1024, 64 * 1024 * 1024);
    if (h.sendBufferBytes() != 0) {
      range("http.sendBufferBytes", h.sendBufferBytes(), 16 * 1024, 64 * 1024 * 1024);
    }
    seconds("http.writeStallSeconds", h.writeStallSeconds(), 1, 600);
    seconds("http.requestHeaderTimeoutSeconds", h.requestHeaderTimeoutSeconds(), 1, 600);
    range("http.maxInitialLineLength", h.maxInitialLineLength(), 256, 65_536);
    range("http.maxHeaderSize", h.maxHeaderSize(), 1024, 1024 * 1024);
    range("http.maxHeaderListSize", h.maxHeaderListSize(), 1024, 1024 * 1024);
    seconds("http.streamMaxLagSeconds", h.streamMaxLagSeconds(), 0.5, 600);
  }

  private static void metrics(HeadwaterConfig c) {
    HeadwaterConfig.MetricsListener m = c.metrics();
    if (m.host().isBlank()) {
      throw new ConfigException(
          "metrics.host: must name an interface (127.0.0.1: this machine only)");
    }
    port("metrics.port", m.port());
    // Two Vert.x servers on one port share it, answering in turn: /metrics would leak to the
    // public.
    if (m.port() != 0 && m.port() == c.http().port()) {
      throw new ConfigException("metrics.port: must differ from http.port (both " + m.port() + ")");
    }
    if (!m.token().isEmpty() && m.token().length() < 16) {
      throw new ConfigException(
          "metrics.token: must be empty (no token) or at least 16 characters (got "
              + m.token().length()
              + ")");
    }
  }

  private static void seconds(String key, double value, double min, double max) {
    finite(key, value);
    if (value < min || value > max) {
      throw new ConfigException(
          key + ": must be between " + min + " and " + max + " seconds (got " + value + ")");
    }
  }

  /**
   * ffmpeg.keyframeIntervalSeconds: 0 (the segment length), or a whole number of parts that divides
   * the segment, so keyframes fall on part starts and segments start with one.
   */
  private static void keyframeInterval(HeadwaterConfig c) {
    double k = c.ffmpeg().keyframeIntervalSeconds();
    finite("ffmpeg.keyframeIntervalSeconds", k);
    if (k == 0) {
      return;
    }
    double part = c.hls().partTargetSeconds();
    double segment = c.hls().segmentTargetSeconds();
    double partsPerKeyframe = k / part;
    double keyframesPerSegment = segment / k;
    if (k < 0
        || Math.abs(partsPerKeyframe - Math.round(partsPerKeyframe)) > 1e-6
        || Math.round(partsPerKeyframe) < 1
        || Math.abs(keyframesPerSegment - Math.round(keyframesPerSegment)) > 1e-6) {
      throw new ConfigException(
          "ffmpeg.keyframeIntervalSeconds: must be 0 (one keyframe per segment) or a multiple of"
              + " hls.partTargetSeconds ("
              + part
              + ") that divides hls.segmentTargetSeconds ("
              + segment
              + "), got "
              + k);
    }
  }

  private static void port(String key, int port) {
    range(key, port, 0, 65535);
  }

  private static void range(String key, long value, long min, long max) {
    if (value < min || value > max) {
      throw new ConfigException(
          key + ": must be between " + min + " and " + max + " (got " + value + ")");
    }
  }

  /** A timeout: above 0 (no "never": an unbounded wait is what an attacker wants), at most 1 h. */
  private static void deadline(String key, double seconds) {
    if (!(seconds > 0 && seconds <= 3600)) {
      throw new ConfigException(key + ": must be above 0 and at most 3600 (got " + seconds + ")");
    }
  }

  private static void finite(String key, double value) {
    if (!Double.isFinite(value)) {
      throw new ConfigException(key + ": must be a finite number (got " + value + ")");
    }
  }

  private static void positive(String key, double value) {
    if (!(value > 0)) {
      throw new ConfigException(key + ": must be greater than 0 (got " + value + ")");
    }
  }

  private static void nonNegative(String key, double value) {
    if (!(value >= 0)) {
      throw new ConfigException(key + ": must not be negative (got " + value + ")");
    }
  }

  private static void name(String key, String value) {
    if (!NAME.matcher(value).matches()) {
      throw new ConfigException(
          key
              + ": must be 1-64 characters of letters, digits, '-' or '_', starting with a letter or digit (got '"
              + value
              + "')");
    }
  }
}
