package dev.headwater.stream;

import dev.headwater.bus.Addresses;
import dev.headwater.bus.PublishReply;
import dev.headwater.bus.PublishRequest;
import dev.headwater.config.HeadwaterConfig;
import dev.headwater.encode.ProcessLauncher;
import dev.headwater.metrics.Metrics;
import dev.headwater.record.Recorder;
import dev.headwater.timeline.LiveStream;
import dev.headwater.timeline.StreamRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims stream names: the consumer of {@link Addresses#STREAM_PUBLISH}. For a name with no session
 * it deploys a new {@link StreamOwner} (a new session id, so a CDN never mixes sessions under one
 * URL); for a name whose session still runs it lets that owner decide (a reconnect within the grace
 * period, a takeover of a silent publisher, or a refusal). One instance; its map of owners lives on
 * its context.
 */
public final class StreamDirectory extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(StreamDirectory.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final HeadwaterConfig config;
  private final StreamRegistry registry;
  private final Metrics metrics;
  private final ProcessLauncher launcher;
  private final String ffmpeg;
  private final Recorder recorder;
  private final Map<String, StreamOwner> owners = new HashMap<>();

  public StreamDirectory(
      HeadwaterConfig config,
      StreamRegistry registry,
      Metrics metrics,
      ProcessLauncher launcher,
      String ffmpeg,
      Recorder recorder) {
    this.config = config;
    this.registry = registry;
    this.metrics = metrics;
    this.launcher = launcher;
    this.ffmpeg = ffmpeg;
    this.recorder = recorder;
  }

  @Override
  public Future<?> start() {
    return vertx
        .eventBus()
        .<PublishRequest>localConsumer(Addresses.STREAM_PUBLISH, this::onPublish)
        .completion();
  }

  /** Ends every session (ENDLIST, FFmpeg drained) before the server goes. */
  @Override
  public Future<?> stop() {
    List<Future<?>> undeploys = new ArrayList<>();
    for (StreamOwner owner : List.copyOf(owners.values())) {
      if (owner.deploymentID() != null) {
        undeploys.add(vertx.undeploy(owner.deploymentID()));
      }
    }
    return Future.join(undeploys);
  }

  private void onPublish(Message<PublishRequest> msg) {
    PublishRequest r = msg.body();
    StreamOwner owner = owners.get(r.name());
    if (owner == null) {
      startSession(msg);
      return;
    }
    owner
        .offer(r)
        .onComplete(
            ar ->
                context.runOnContext(
                    v -> {
                      if (ar.succeeded()) {
                        msg.reply(PublishReply.accepted(ar.result()));
                      } else if (ar.cause() instanceof StreamOwner.Refused refused
                          && refused.ended) {
                        // The session ended while the request was on its way: the name is free for
                        // a new one.
                        owners.remove(r.name(), owner);
                        startSession(msg);
                      } else {
                        msg.reply(
                            PublishReply.refused(PublishReply.BAD_NAME, ar.cause().getMessage()));
                      }
                    }));
  }

  private void startSession(Message<PublishRequest> msg) {
    PublishRequest r = msg.body();
    if (owners.size() >= config.rtmp().maxPublishers()) {
      msg.reply(
          PublishReply.refused(
              PublishReply.DENIED,
              "server is at rtmp.maxPublishers (" + config.rtmp().maxPublishers() + ")"));
      return;
    }
    String sessionId = Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36);
    LiveStream stream =
        new LiveStream(r.name(), sessionId, Instant.now(), metrics.forStream(r.name()));
    registry.claim(stream);
    StreamOwner owner = new StreamOwner(config, registry, stream, launcher, ffmpeg, recorder);
    owners.put(r.name(), owner);
    vertx
        .deployVerticle(owner)
        .compose(id -> owner.offer(r))
        .onComplete(
            ar ->
                context.runOnContext(
                    v -> {
                      if (ar.succeeded()) {
                        msg.reply(PublishReply.accepted(ar.result()));
                        watch(owner);
                      } else {
                        LOG.error(
                            "Stream {}: could not start a session: {}",
                            r.name(),
                            ar.cause().getMessage());
                        owners.remove(r.name(), owner);
                        registry.forget(stream);
                        stream.meters().close();
                        msg.reply(
                            PublishReply.refused(
                                PublishReply.DENIED, "the server could not start the stream"));
                      }
                    }));
  }

  /**
   * Frees the name when the session ends, and undeploys the owner after the session's retention.
   */
  private void watch(StreamOwner owner) {
    String name = owner.stream().name();
    owner.ended().onComplete(v -> context.runOnContext(x -> owners.remove(name, owner)));
    owner
        .retained()
        .onComplete(v -> context.runOnContext(x -> vertx.undeploy(owner.deploymentID())));
  }
}
