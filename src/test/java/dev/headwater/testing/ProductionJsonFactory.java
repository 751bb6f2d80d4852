package dev.headwater.testing;

import io.vertx.core.json.jackson.JacksonCodec;
import io.vertx.core.spi.JsonFactory;
import io.vertx.core.spi.json.JsonCodec;

/**
 * Keeps Vert.x's JSON in tests as it is in production. Vert.x picks its databind codec whenever
 * jackson-databind is on the classpath, and the test classpath has it (through s3proxy) while the
 * shipped origin does not: tests would then encode values (records, POJOs in a {@code JsonObject})
 * that production refuses with an {@code EncodeException}. Registered for tests only, in {@code
 * META-INF/services/io.vertx.core.spi.JsonFactory}; the lowest {@link #order()} wins.
 */
public final class ProductionJsonFactory implements JsonFactory {
  private static final JacksonCodec CODEC = new JacksonCodec();

  @Override
  public int order() {
    return 0;
  }

  @Override
  public JsonCodec codec() {
    return CODEC;
  }
}
