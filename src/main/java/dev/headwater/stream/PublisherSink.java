package dev.headwater.stream;

import dev.headwater.bus.MediaSink;
import dev.headwater.bus.PublisherConnection;
import dev.headwater.encode.ByteBudget;
import dev.headwater.media.flv.FlvTag;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.Map;

/**
 * The {@link MediaSink} handed to one accepted publisher: every call moves to the stream owner's
 * context. The bytes in flight are accounted in a {@link ByteBudget} that the owner and FFmpeg's
 * stdin writer release, so the publisher's socket pauses while the owner or FFmpeg falls behind.
 */
final class PublisherSink implements MediaSink {
  private final StreamOwner owner;
  private final Context ownerContext;
  private final ByteBudget budget;
  private final PublisherConnection connection;
  private final String remoteAddress;
  private volatile boolean detached;

  PublisherSink(
      StreamOwner owner,
      Context ownerContext,
      long budgetBytes,
      PublisherConnection connection,
      String remoteAddress) {
    this.owner = owner;
    this.ownerContext = ownerContext;
    this.budget = new ByteBudget(budgetBytes);
    this.connection = connection;
    this.remoteAddress = remoteAddress;
  }

  ByteBudget budget() {
    return budget;
  }

  String remoteAddress() {
    return remoteAddress;
  }

  /**
   * The owner no longer takes this publisher's media (it left, was taken over, or the stream
   * ended).
   */
  void detach(String reason, boolean closeConnection) {
    detached = true;
    if (closeConnection) {
      connection.close(reason);
    }
  }

  @Override
  public void metadata(Map<String, Object> values) {
    ownerContext.runOnContext(v -> owner.onMetadata(this, values));
  }

  @Override
  public void write(FlvTag tag) {
    if (detached) {
      return;
    }
    budget.acquire(tag.data().length);
    ownerContext.runOnContext(v -> owner.onTag(this, tag));
  }

  @Override
  public boolean writeQueueFull() {
    return budget.full();
  }

  @Override
  public void drainHandler(Runnable onDrain) {
    Context publisherContext = Vertx.currentContext();
    budget.onDrain(() -> publisherContext.runOnContext(v -> onDrain.run()));
  }

  @Override
  public void end(String reason) {
    ownerContext.runOnContext(v -> owner.onPublisherEnd(this, reason));
  }
}
