package dev.headwater.encode;

import dev.headwater.bus.Addresses;
import dev.headwater.bus.StreamEvent;
import dev.headwater.config.HeadwaterConfig;
import dev.headwater.ingest.FlvSink;
import dev.headwater.ingest.PublishAuthorizer;
import dev.headwater.ingest.PublishHandler;
import dev.headwater.ingest.PublishRefused;
import dev.headwater.ingest.PublishRequest;
import dev.headwater.metrics.Metrics;
import dev.headwater.timeline.LiveStream;
import dev.headwater.timeline.StreamRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.function.IntSupplier;

/**
 * Accepts or refuses publishers and starts each accepted stream's pipeline: registry entry, meters and
 * an {@link EncoderSupervisor} as the publisher's sink. Announces {@link Addresses#STREAM_PUBLISHED}
 * and, when the supervisor is done, {@link Addresses#STREAM_ENDED}.
 */
public final class StreamLauncher implements PublishHandler {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Vertx vertx;
  private final HeadwaterConfig config;
  private final StreamRegistry registry;
  private final Metrics metrics;
  private final ProcessReaper reaper;
  private final String ffmpeg;
  private final IntSupplier intakePort;
  private final PublishAuthorizer authorizer;

  public StreamLauncher(
      Vertx vertx, HeadwaterConfig config, StreamRegistry registry, Metrics metrics, ProcessReaper reaper, String ffmpeg, IntSupplier intakePort) {
    this.vertx = vertx;
    this.config = config;
    this.registry = registry;
    this.metrics = metrics;
    this.reaper = reaper;
    this.ffmpeg = ffmpeg;
    this.intakePort = intakePort;
    this.authorizer = new PublishAuthorizer(config.rtmp().app(), config.rtmp().streamKeys());
  }

  @Override
  public Future<FlvSink> publish(PublishRequest r) {
    PublishRefused refused = authorizer.check(r);
    if (refused != null) {
      return Future.failedFuture(refused);
    }
    if (registry.liveCount() >= config.rtmp().maxPublishers()) {
      return Future.failedFuture(new PublishRefused(PublishAuthorizer.DENIED,
          "server is at rtmp.maxPublishers (" + config.rtmp().maxPublishers() + ")"));
    }
    String sessionId = Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36);
    LiveStream stream = new LiveStream(r.name(), sessionId, Instant.now(), metrics.forStream(r.name()));
    if (!registry.claim(stream)) {
      stream.meters().close();
      return Future.failedFuture(new PublishRefused(PublishAuthorizer.BAD_NAME,
          "stream '" + r.name() + "' is already being published"));
    }
    String intakeBase = "http://127.0.0.1:" + intakePort.getAsInt() + "/intake/" + sessionId + "/";
    EncoderSupervisor supervisor =
        new EncoderSupervisor(vertx, vertx.getOrCreateContext(), config, ffmpeg, stream, intakeBase, reaper, stream.meters());
    vertx.eventBus().publish(Addresses.STREAM_PUBLISHED, new StreamEvent(r.name(), sessionId, "published from " + r.remoteAddress()));
    supervisor.ended().onComplete(v -> {
      registry.release(stream);
      vertx.eventBus().publish(Addresses.STREAM_ENDED, new StreamEvent(r.name(), sessionId, supervisor.endReason()));
    });
    return Future.succeededFuture(supervisor);
  }
}
