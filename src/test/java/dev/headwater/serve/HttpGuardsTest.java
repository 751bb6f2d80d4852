package dev.headwater.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headwater.config.ConfigLoader;
import dev.headwater.config.HeadwaterConfig;
import dev.headwater.metrics.Metrics;
import dev.headwater.timeline.StreamRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The request-timeout rule on a real listener (no stream needed): what it closes, when, and under
 * which reason it counts it.
 */
class HttpGuardsTest {
  private Vertx vertx;
  private Metrics metrics;
  private HlsHttpVerticle http;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    metrics = new Metrics();
    HeadwaterConfig config =
        ConfigLoader.fromJson(
            new JsonObject()
                .put(
                    "http",
                    new JsonObject()
                        .put("host", "127.0.0.1")
                        .put("port", 0)
                        .put("instances", 1)
                        .put("requestHeaderTimeoutSeconds", 1.0))
                .put("metrics", new JsonObject().put("port", 0)),
            Map.of());
    http = new HlsHttpVerticle(config, new StreamRegistry(), metrics);
    vertx.deployVerticle(http).await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private double closed(String reason) {
    var c =
        metrics
            .registry()
            .find("headwater_http_request_timeouts_closed")
            .tag("reason", reason)
            .counter();
    return c == null ? 0 : c.count();
  }

  /** Writes {@code first}, then one byte of {@code slow} every 300 ms; seconds until closed. */
  private double trickle(String first, String slow) throws IOException {
    long start = System.nanoTime();
    try (Socket s = new Socket("127.0.0.1", http.port())) {
      s.setSoTimeout(300);
      s.getOutputStream().write(first.getBytes(StandardCharsets.US_ASCII));
      InputStream in = s.getInputStream();
      for (int i = 0; System.nanoTime() - start < 10_000_000_000L; i++) {
        try {
          if (!slow.isEmpty()) {
            s.getOutputStream().write(slow.charAt(i % slow.length()));
          }
          if (in.read() < 0) {
            break;
          }
        } catch (SocketTimeoutException e) {
          continue;
        } catch (IOException e) {
          break;
        }
      }
    }
    return (System.nanoTime() - start) / 1e9;
  }

  @Test
  void closesAFirstRequestWhoseHeadersTrickle() throws Exception {
    // No other client came first: the verticle armed the deadline itself at start.
    double t = trickle("GET /health HTTP/1.1\r\nHost: x\r\n", "X-Slow: abc\r\n");
    assertTrue(t >= 0.9 && t < 2.5, "closed after " + t + " s");
    assertEquals(1.0, closed("no_first_request"));
  }

  @Test
  void closesALaterRequestWhoseHeadersTrickleAndCountsAPartialRequest() throws Exception {
    String first = "GET /health HTTP/1.1\r\nHost: x\r\n\r\nGET /health HTTP/1.1\r\n";
    double t = trickle(first, "X-Slow: abc\r\n");
    assertTrue(t >= 0.9 && t < 2.5, "closed after " + t + " s");
    assertEquals(1.0, closed("partial_request"));
  }

  @Test
  void closesAKeepAliveConnectionIdleAfterItsResponse() throws Exception {
    try (Socket s = new Socket("127.0.0.1", http.port())) {
      long start = System.nanoTime();
      s.getOutputStream()
          .write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      s.setSoTimeout(5000);
      byte[] all = s.getInputStream().readAllBytes();
      double t = (System.nanoTime() - start) / 1e9;
      assertTrue(new String(all, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200"));
      assertTrue(t >= 0.9 && t < 2.5, "closed after " + t + " s");
    }
    assertEquals(1.0, closed("idle"));
  }

  @Test
  void closesAConnectionThatNeverFinishesTheHttp2Preface() throws Exception {
    double t = trickle("", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
    assertTrue(t >= 0.9 && t < 2.5, "closed after " + t + " s");
    assertEquals(1.0, closed("no_first_request"));
  }
}
