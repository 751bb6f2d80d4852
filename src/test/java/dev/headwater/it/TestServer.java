package dev.headwater.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headwater.Headwater;
import dev.headwater.config.ConfigLoader;
import dev.headwater.config.HeadwaterConfig;
import dev.headwater.encode.FfmpegLocator;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A real Headwater on loopback for integration tests, with a ladder sized for a 2-core CI machine
 * (a 640x360 source, two video rungs at ultrafast, AAC audio) unless a test overrides the JSON.
 */
final class TestServer implements AutoCloseable {
  final Headwater headwater;
  final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  final String ffprobe;

  private TestServer(Headwater headwater) {
    this.headwater = headwater;
    this.ffprobe = FfmpegLocator.ffprobe("");
  }

  static JsonObject smallLadder() {
    return new JsonObject()
        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0).put("instances", 2))
        .put("rtmp", new JsonObject().put("host", "127.0.0.1").put("port", 0))
        .put(
            "ffmpeg",
            new JsonObject().put("preset", "ultrafast").put("restartBackoffInitialSeconds", 0.2))
        .put(
            "ladder",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("name", "360p")
                        .put("height", 360)
                        .put("videoBitrateKbps", 600)
                        .put("maxBitrateKbps", 700))
                .add(
                    new JsonObject()
                        .put("name", "240p")
                        .put("height", 240)
                        .put("videoBitrateKbps", 300)
                        .put("maxBitrateKbps", 350)))
        .put("hls", new JsonObject().put("endedStreamRetentionSeconds", 30.0))
        // Recording is on by default; the tests that are not about it leave the disk alone.
        .put("recording", new JsonObject().put("streams", "none"))
        .put("metrics", new JsonObject().put("host", "127.0.0.1").put("port", 0))
        .put("dataDir", "target/it-data");
  }

  static TestServer start(JsonObject json) throws Exception {
    HeadwaterConfig config = ConfigLoader.fromJson(json, Map.of());
    Headwater h = new Headwater(config);
    h.start().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    return new TestServer(h);
  }

  String base() {
    return "http://127.0.0.1:" + headwater.httpPort();
  }

  /** The operator listener: /metrics and /health. */
  String metricsBase() {
    return "http://127.0.0.1:" + headwater.metricsPort();
  }

  String rtmpUrl(String name) {
    return "rtmp://127.0.0.1:" + headwater.rtmpPort() + "/live/" + name;
  }

  HttpResponse<String> get(String pathOrUrl) throws IOException, InterruptedException {
    return get(pathOrUrl, Map.of());
  }

  HttpResponse<String> get(String pathOrUrl, Map<String, String> headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(
                URI.create(pathOrUrl.startsWith("http") ? pathOrUrl : base() + pathOrUrl))
            .timeout(Duration.ofSeconds(20));
    headers.forEach(b::header);
    HttpResponse<String> response = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    checkIfPlaylist(response);
    return response;
  }

  /**
   * Every playlist a test fetches through this server passes the third-party parsers ({@link
   * PlaylistConformance}); a failure fails the test. Gzipped bodies are checked by the test that
   * inflates them.
   */
  static void checkIfPlaylist(HttpResponse<String> response) {
    if (response.statusCode() == 200
        && response.uri().getPath().endsWith(".m3u8")
        && response.headers().firstValue("Content-Encoding").isEmpty()) {
      PlaylistConformance.check(response.uri().toString(), response.body());
    }
  }

  HttpResponse<byte[]> getBytes(String pathOrUrl) throws IOException, InterruptedException {
    HttpRequest r =
        HttpRequest.newBuilder(
                URI.create(pathOrUrl.startsWith("http") ? pathOrUrl : base() + pathOrUrl))
            .timeout(Duration.ofSeconds(20))
            .build();
    return http.send(r, HttpResponse.BodyHandlers.ofByteArray());
  }

  /**
   * ffprobe's view of {@code mp4} (init section and media): the first stream's codec, size and
   * frame counts, and what ffprobe wrote to stderr as {@code ffprobe_errors}.
   */
  JsonObject probe(byte[] mp4) throws Exception {
    return probe(ffprobe, mp4);
  }

  /** {@link #probe(byte[])} with a given ffprobe, for tests that run Headwater as processes. */
  static JsonObject probe(String ffprobe, byte[] mp4) throws Exception {
    Path f = Files.createTempFile("probe", ".mp4");
    try {
      Files.write(f, mp4);
      Process p =
          new ProcessBuilder(
                  ffprobe,
                  "-v",
                  "error",
                  "-count_frames",
                  "-count_packets",
                  "-show_entries",
                  "stream=codec_name,width,height,nb_read_frames,nb_read_packets,sample_rate",
                  "-of",
                  "json",
                  f.toString())
              .start();
      CompletableFuture<byte[]> out =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return p.getInputStream().readAllBytes();
                } catch (java.io.IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, p.exitValue(), err);
      return new JsonObject(new String(out.get(), StandardCharsets.UTF_8))
          .getJsonArray("streams")
          .getJsonObject(0)
          .put("ffprobe_errors", err);
    } finally {
      Files.deleteIfExists(f);
    }
  }

  /** Waits for /api/recordings to list one recording, ended (its index written), and returns it. */
  JsonObject awaitTheEndedRecording() {
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              JsonArray list = recordings();
              return list.size() == 1 && list.getJsonObject(0).getBoolean("ended");
            });
    try {
      return recordings().getJsonObject(0);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** GET /api/recordings. */
  JsonArray recordings() throws Exception {
    HttpResponse<String> res = get("/api/recordings");
    assertEquals(200, res.statusCode());
    return new JsonArray(res.body());
  }

  /** ffprobe's duration of what {@code url} (a playlist, or a file) plays, in seconds. */
  double probeDuration(String url) throws Exception {
    Process p =
        new ProcessBuilder(
                ffprobe,
                "-v",
                "error",
                "-show_entries",
                "format=duration",
                "-of",
                "default=noprint_wrappers=1:nokey=1",
                url)
            .redirectErrorStream(true)
            .start();
    byte[] out = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    String text = new String(out, StandardCharsets.UTF_8).trim();
    assertEquals(0, p.exitValue(), text);
    String[] lines = text.split("\n");
    return Double.parseDouble(lines[lines.length - 1].trim());
  }

  @Override
  public void close() throws Exception {
    headwater.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
