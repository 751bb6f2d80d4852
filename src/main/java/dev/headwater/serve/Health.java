package dev.headwater.serve;

import dev.headwater.cluster.ClusterStreams;
import dev.headwater.config.HeadwaterConfig;
import dev.headwater.metrics.EventLoopHeartbeat;
import dev.headwater.timeline.LiveStream;
import dev.headwater.timeline.StreamRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;

/**
 * {@code /health}: UP (200) only when it is true. DOWN (503, with the reasons) while a live
 * stream's encoder keeps failing (read from the stream's {@link
 * dev.headwater.metrics.EncoderHealth}: this package may not depend on the encoder) or an event
 * loop has missed its heartbeat for more than {@value #MAX_LOOP_LAG_SECONDS} s. A stuck HTTP event
 * loop does not answer at all, which a load balancer's probe also reads as down. Never cached.
 */
final class Health {
  /** An event loop this late is stuck (Vert.x warns of a blocked thread after 2 s). */
  static final long MAX_LOOP_LAG_SECONDS = 5;

  private final StreamRegistry registry;
  private final EventLoopHeartbeat heartbeat;
  private final long restartWindowNanos;
  private final long silenceNanos;

  /** Null: a single origin. */
  private final ClusterStreams cluster;

  /**
   * @param heartbeat the event loops' heartbeat; null: not checked (tests of other things)
   */
  Health(StreamRegistry registry, HeadwaterConfig.Ffmpeg ffmpeg, EventLoopHeartbeat heartbeat) {
    this(registry, ffmpeg, heartbeat, null);
  }

  Health(
      StreamRegistry registry,
      HeadwaterConfig.Ffmpeg ffmpeg,
      EventLoopHeartbeat heartbeat,
      ClusterStreams cluster) {
    this.registry = registry;
    this.cluster = cluster;
    this.heartbeat = heartbeat;
    this.restartWindowNanos = nanos(ffmpeg.healthyRunSeconds());
    // The supervisor kills a run that produced nothing for the start timeout (first output) or the
    // stall timeout; past both, restarting has not helped.
    this.silenceNanos = nanos(ffmpeg.startTimeoutSeconds() + ffmpeg.stallTimeoutSeconds());
  }

  /** The report at {@code now}: {@code status} UP or DOWN, and each problem. */
  JsonObject report(long now) {
    JsonArray problems = new JsonArray();
    for (LiveStream s : registry.liveStreams()) {
      String p = s.meters().encoderHealth().problem(now, restartWindowNanos, silenceNanos);
      if (p != null) {
        problems.add(new JsonObject().put("stream", s.name()).put("problem", p));
      }
    }
    if (heartbeat != null) {
      long[] lags = heartbeat.lagNanos(now);
      for (int i = 0; i < lags.length; i++) {
        if (lags[i] > MAX_LOOP_LAG_SECONDS * 1_000_000_000L) {
          problems.add(
              new JsonObject()
                  .put("eventLoop", i)
                  .put("problem", String.format(Locale.ROOT, "stuck for %.1f s", lags[i] / 1e9)));
        }
      }
    }
    JsonObject out =
        new JsonObject()
            .put("status", problems.isEmpty() ? "UP" : "DOWN")
            .put("liveStreams", registry.liveCount());
    if (cluster != null) {
      // Informational: an origin alone in its cluster still serves its own streams.
      out.put(
          "cluster",
          new JsonObject()
              .put("node", cluster.node())
              .put("origins", cluster.members())
              .put("liveStreamsElsewhere", cluster.liveElsewhere().size()));
    }
    if (!problems.isEmpty()) {
      out.put("problems", problems);
    }
    return out;
  }

  /** GET /health */
  void handle(RoutingContext rc) {
    JsonObject r = report(System.nanoTime());
    rc.response()
        .setStatusCode(r.getString("status").equals("UP") ? 200 : 503)
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", CachePolicy.NO_STORE)
        .end(r.encode());
  }

  private static long nanos(double seconds) {
    return Math.round(seconds * 1e9);
  }
}
