package dev.headwater.bus;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Passes a payload record by reference between verticles of one process. It refuses to encode for
 * the wire: Headwater's events are local, and a record crossing a cluster would need a real schema.
 */
public final class LocalCodec<T> implements MessageCodec<T, T> {
  private final Class<T> type;

  private LocalCodec(Class<T> type) {
    this.type = type;
  }

  /** Registers the default local codec for every payload record. */
  public static void registerAll(Vertx vertx) {
    register(vertx, PublishRequest.class);
    register(vertx, PublishReply.class);
    register(vertx, TimelineEvent.class);
  }

  private static <T> void register(Vertx vertx, Class<T> type) {
    vertx.eventBus().registerDefaultCodec(type, new LocalCodec<>(type));
  }

  @Override
  public void encodeToWire(Buffer buffer, T t) {
    throw new IllegalStateException(type.getSimpleName() + " is a local-only event payload");
  }

  @Override
  public T decodeFromWire(int pos, Buffer buffer) {
    throw new IllegalStateException(type.getSimpleName() + " is a local-only event payload");
  }

  @Override
  public T transform(T t) {
    return t;
  }

  @Override
  public String name() {
    return "local-" + type.getName();
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
