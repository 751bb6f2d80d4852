package dev.headwater.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.EncodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;
import org.junit.jupiter.api.Test;

class ProductionJsonFactoryTest {

  record Recording(String name) {}

  @Test
  void testsUseTheCodecProductionUses() {
    // jackson-databind is on the test classpath (s3proxy): without the factory this is a
    // DatabindCodec, a subclass.
    assertSame(JacksonCodec.class, Json.CODEC.getClass());
  }

  @Test
  void refusesToEncodeARecordAsProductionDoes() {
    JsonObject json = new JsonObject().put("recording", new Recording("cam1"));
    assertThrows(EncodeException.class, json::encode);
    assertEquals("{\"name\":\"cam1\"}", new JsonObject().put("name", "cam1").encode());
  }
}
