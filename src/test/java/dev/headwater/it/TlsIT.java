package dev.headwater.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;

/**
 * With a certificate configured, the same routes are served over TLS and h2 is negotiated by ALPN;
 * playlists and media too.
 */
class TlsIT {
  static {
    System.setProperty("jdk.internal.httpclient.disableHostnameVerification", "true");
  }

  private static HttpResponse<String> get(HttpClient client, String url) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static CompletableFuture<HttpResponse<byte[]>> getBytes(HttpClient client, String url) {
    return client.sendAsync(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void servesHttp2OverTlsWhenACertificateIsConfigured() throws Exception {
    Path dir = Files.createTempDirectory("tls");
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    Process p =
        new ProcessBuilder(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=localhost",
                "-keyout",
                key.toString(),
                "-out",
                cert.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor(30, TimeUnit.SECONDS);
    assertEquals(0, p.exitValue(), out);
    JsonObject json = TestServer.smallLadder();
    json.getJsonObject("http")
        .put("tlsCertPath", cert.toString())
        .put("tlsKeyPath", key.toString());
    try (TestServer server = TestServer.start(json)) {
      SSLContext trustAll = SSLContext.getInstance("TLS");
      trustAll.init(
          null,
          new TrustManager[] {
            new X509TrustManager() {
              @Override
              public void checkClientTrusted(X509Certificate[] c, String a) {}

              @Override
              public void checkServerTrusted(X509Certificate[] c, String a) {}

              @Override
              public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
              }
            }
          },
          null);
      HttpClient client =
          HttpClient.newBuilder().sslContext(trustAll).version(HttpClient.Version.HTTP_2).build();
      HttpResponse<String> r =
          client.send(
              HttpRequest.newBuilder(
                      URI.create("https://localhost:" + server.headwater.httpPort() + "/health"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode());
      assertEquals(HttpClient.Version.HTTP_2, r.version());
      assertEquals("UP", new JsonObject(r.body()).getString("status"));

      // Media over TLS: the shared, read-only part buffers go through the TLS handler to two
      // concurrent streams of one connection and arrive whole and identical.
      String base = "https://localhost:" + server.headwater.httpPort();
      try (Publisher publisher =
          Publisher.ffmpeg(server.headwater.ffmpeg(), server.rtmpUrl("tls"), 640, 360, 0)) {
        await()
            .atMost(Duration.ofSeconds(40))
            .until(() -> get(client, base + "/live/tls/master.m3u8").statusCode() == 200);
        String session =
            new JsonArray(get(client, base + "/api/streams").body())
                .getJsonObject(0)
                .getString("session");
        String media = base + "/live/tls/" + session + "/360p/";
        String playlist = get(client, media + "index.m3u8").body();
        PlaylistConformance.check(media + "index.m3u8", playlist);
        String part = Playlists.parse(playlist).parts().get(0).uri();
        CompletableFuture<HttpResponse<byte[]>> a = getBytes(client, media + part);
        CompletableFuture<HttpResponse<byte[]>> b = getBytes(client, media + part);
        assertEquals(200, a.get().statusCode());
        assertEquals(HttpClient.Version.HTTP_2, a.get().version());
        assertTrue(a.get().body().length > 1000, "a part of a 360p stream");
        assertArrayEquals(a.get().body(), b.get().body());
        assertEquals(
            String.valueOf(a.get().body().length),
            a.get()
                .headers()
                .firstValue("content-length")
                .orElse(String.valueOf(a.get().body().length)));
      }
    }
  }
}
