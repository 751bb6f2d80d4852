package dev.headwater.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headwater.config.HeadwaterConfig;
import dev.headwater.metrics.Metrics;
import dev.headwater.timeline.StreamRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The operator listener: /metrics and /health, the bearer token, never cached. */
class OperatorHttpVerticleTest {
  private static final String TOKEN = "0123456789abcdef-token";
  private Vertx vertx;
  private OperatorHttpVerticle operator;
  private HttpClientAgent client;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    Metrics metrics = new Metrics();
    StreamRegistry registry = new StreamRegistry();
    Health health = new Health(registry, HeadwaterConfig.defaults().ffmpeg(), null);
    operator =
        new OperatorHttpVerticle(
            new HeadwaterConfig.MetricsListener("127.0.0.1", 0, TOKEN), metrics, health);
    vertx.deployVerticle(operator).await(10, TimeUnit.SECONDS);
    client = vertx.createHttpClient();
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private record Answer(int status, String cacheControl, String body, String authenticate) {}

  private Answer get(String path, String authorization) throws Exception {
    RequestOptions o =
        new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setHost("127.0.0.1")
            .setPort(operator.port())
            .setURI(path);
    if (authorization != null) {
      o.putHeader("Authorization", authorization);
    }
    return client
        .request(o)
        .compose(r -> r.send())
        .compose(
            (HttpClientResponse r) ->
                r.body()
                    .map(
                        b ->
                            new Answer(
                                r.statusCode(),
                                r.getHeader("Cache-Control"),
                                b.toString(),
                                r.getHeader("WWW-Authenticate"))))
        .await(10, TimeUnit.SECONDS);
  }

  @Test
  void metricsWantTheBearerToken() throws Exception {
    Answer none = get("/metrics", null);
    assertEquals(401, none.status());
    assertEquals("Bearer", none.authenticate());
    assertEquals(401, get("/metrics", "Bearer wrong-token-of-some-length").status());
    Answer ok = get("/metrics", "Bearer " + TOKEN);
    assertEquals(200, ok.status());
    assertEquals("no-store", ok.cacheControl());
    assertTrue(ok.body().contains("headwater_http_slow_clients_closed_total"), ok.body());
    assertTrue(ok.body().contains("headwater_waiter_rejected_total{reason=\"client\"}"));
  }

  @Test
  void healthNeedsNoToken() throws Exception {
    Answer h = get("/health", null);
    assertEquals(200, h.status());
    assertEquals("no-store", h.cacheControl());
    assertEquals("{\"status\":\"UP\",\"liveStreams\":0}", h.body());
  }
}
