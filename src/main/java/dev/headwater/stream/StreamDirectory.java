package dev.headwater.stream;

import dev.headwater.bus.Addresses;
import dev.headwater.bus.PublishReply;
import dev.headwater.bus.PublishRequest;
import dev.headwater.cluster.ClusterStreams;
import dev.headwater.cluster.PublishRelay;
import dev.headwater.cluster.RelayAddresses;
import dev.headwater.cluster.RelayedPublisher;
import dev.headwater.cluster.StreamLocation;
import dev.headwater.config.HeadwaterConfig;
import dev.headwater.encode.ProcessLauncher;
import dev.headwater.metrics.Metrics;
import dev.headwater.record.Recorder;
import dev.headwater.timeline.LiveStream;
import dev.headwater.timeline.StreamRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims stream names: the consumer of {@link Addresses#STREAM_PUBLISH}. For a name with no session
 * it deploys a new {@link StreamOwner} (a new session id, so a CDN never mixes sessions under one
 * URL); for a name whose session still runs it lets that owner decide (a reconnect within the grace
 * period, a takeover of a silent publisher, or a refusal). One instance; its map of owners lives on
 * its context.
 *
 * <p>In a cluster a new session first claims its name cluster-wide ({@link ClusterStreams}). A name
 * whose live session another origin owns is offered to that owner ({@link PublishRelay}): its owner
 * applies the rules above (a publisher back in GRACE continues the session there, same sequence
 * numbers, one discontinuity) and this origin relays the publisher's media to it; the owner's
 * refusal is the publisher's. This directory also answers such offers from other origins for the
 * sessions it owns ({@link RelayAddresses#originPublish}, {@link RelayedPublisher}).
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

  /** Null: a single origin. */
  private final ClusterStreams cluster;

  /** Names whose cluster claim is on its way: a second publish for one of them is refused. */
  private final Set<String> claiming = new HashSet<>();

  public StreamDirectory(
      HeadwaterConfig config,
      StreamRegistry registry,
      Metrics metrics,
      ProcessLauncher launcher,
      String ffmpeg,
      Recorder recorder,
      ClusterStreams cluster) {
    this.config = config;
    this.cluster = cluster;
    this.registry = registry;
    this.metrics = metrics;
    this.launcher = launcher;
    this.ffmpeg = ffmpeg;
    this.recorder = recorder;
  }

  @Override
  public Future<?> start() {
    Future<Void> local =
        vertx
            .eventBus()
            .<PublishRequest>localConsumer(Addresses.STREAM_PUBLISH, this::onPublish)
            .completion();
    if (cluster == null) {
      return local;
    }
    Future<Void> relayed =
        vertx
            .eventBus()
            .<JsonObject>consumer(
                RelayAddresses.originPublish(cluster.node()), this::onRelayedPublish)
            .completion();
    return Future.all(local, relayed);
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
      claimThenStart(msg);
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
                        claimThenStart(msg);
                      } else {
                        msg.reply(
                            PublishReply.refused(PublishReply.BAD_NAME, ar.cause().getMessage()));
                      }
                    }));
  }

  /** A new session, after its name is claimed in the cluster (at once on a single origin). */
  private void claimThenStart(Message<PublishRequest> msg) {
    PublishRequest r = msg.body();
    if (owners.size() + claiming.size() >= config.rtmp().maxPublishers()) {
      msg.reply(
          PublishReply.refused(
              PublishReply.DENIED,
              "server is at rtmp.maxPublishers (" + config.rtmp().maxPublishers() + ")"));
      return;
    }
    String sessionId = Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36);
    Instant startedAt = Instant.now();
    if (cluster == null) {
      startSession(msg, sessionId, startedAt);
      return;
    }
    if (!claiming.add(r.name())) {
      msg.reply(
          PublishReply.refused(
              PublishReply.BAD_NAME, "another publisher is starting stream " + r.name()));
      return;
    }
    cluster
        .claim(r.name(), sessionId, startedAt)
        .onComplete(
            ar ->
                context.runOnContext(
                    v -> {
                      claiming.remove(r.name());
                      if (ar.failed()) {
                        LOG.error(
                            "Stream {}: the cluster could not be asked for the name: {}",
                            r.name(),
                            ar.cause().toString());
                        msg.reply(
                            PublishReply.refused(
                                PublishReply.DENIED, "the cluster could not be reached"));
                      } else if (!ar.result().claimed()) {
                        relay(msg, ar.result().holder());
                      } else if (owners.containsKey(r.name())) {
                        // A publish for the name started here while the claim was on its way.
                        cluster.forget(r.name(), sessionId);
                        onPublish(msg);
                      } else {
                        startSession(msg, sessionId, startedAt);
                      }
                    }));
  }

  /**
   * The name's live session is owned by another origin (a member): only it holds the session's
   * timeline, so the publisher is offered to it and, if it takes it, relayed there.
   */
  private void relay(Message<PublishRequest> msg, StreamLocation owner) {
    PublishRequest r = msg.body();
    LOG.info(
        "Stream {}: live on origin {} ({}); offering it the publisher from {}",
        r.name(),
        owner.node(),
        owner.http(),
        r.remoteAddress());
    PublishRelay.open(
            vertx,
            cluster,
            owner,
            r,
            config.rtmp().maxQueuedBytes(),
            Math.round(config.cluster().relayAckTimeoutSeconds() * 1000))
        .onComplete(
            ar ->
                msg.reply(
                    ar.succeeded()
                        ? ar.result()
                        : PublishReply.refused(
                            PublishReply.DENIED, "the relay failed: " + ar.cause().getMessage())));
  }

  /**
   * Another origin offers a publisher for a session owned here: the owner decides as for a
   * publisher connected here, and an accepted one is fed through a {@link RelayedPublisher}.
   */
  private void onRelayedPublish(Message<JsonObject> msg) {
    RelayAddresses.Offer offer = RelayAddresses.Offer.fromJson(msg.body());
    if (offer == null) {
      msg.reply(new RelayAddresses.Answer(PublishReply.DENIED, "malformed relay offer").toJson());
      return;
    }
    StreamOwner owner = owners.get(offer.name());
    if (owner == null) {
      // The session ended a moment ago; the cluster's map tells the asking origin soon.
      msg.reply(
          new RelayAddresses.Answer(
                  PublishReply.DENIED,
                  "stream " + offer.name() + " has no live session on origin " + cluster.node())
              .toJson());
      return;
    }
    RelayedPublisher relayed =
        new RelayedPublisher(
            vertx, cluster, offer, Math.round(config.cluster().relayIdleSeconds() * 1000));
    owner
        .offer(new PublishRequest(offer.name(), RelayedPublisher.remoteAddress(offer), relayed))
        .onComplete(
            ar ->
                context.runOnContext(
                    v -> {
                      if (ar.failed()) {
                        msg.reply(
                            new RelayAddresses.Answer(
                                    PublishReply.BAD_NAME, ar.cause().getMessage())
                                .toJson());
                        return;
                      }
                      relayed
                          .attach(ar.result())
                          .onComplete(
                              att -> {
                                if (att.succeeded()) {
                                  msg.reply(RelayAddresses.Answer.accepted().toJson());
                                } else {
                                  ar.result().end("the relay could not start: " + att.cause());
                                  msg.reply(
                                      new RelayAddresses.Answer(
                                              PublishReply.DENIED,
                                              "the relay could not start: "
                                                  + att.cause().getMessage())
                                          .toJson());
                                }
                              });
                    }));
  }

  private void startSession(Message<PublishRequest> msg, String sessionId, Instant startedAt) {
    PublishRequest r = msg.body();
    LiveStream stream = new LiveStream(r.name(), sessionId, startedAt, metrics.forStream(r.name()));
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
                        if (cluster != null) {
                          cluster.forget(r.name(), sessionId);
                        }
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
    String session = owner.stream().sessionId();
    owner
        .ended()
        .onComplete(
            v ->
                context.runOnContext(
                    x -> {
                      owners.remove(name, owner);
                      if (cluster != null) {
                        cluster.ended(name, session);
                      }
                    }));
    owner
        .retained()
        .onComplete(
            v ->
                context.runOnContext(
                    x -> {
                      if (cluster != null) {
                        cluster.forget(name, session);
                      }
                      vertx.undeploy(owner.deploymentID());
                    }));
  }
}
