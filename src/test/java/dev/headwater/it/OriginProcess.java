package dev.headwater.it;

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
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Headwater as its own process ({@code java dev.headwater.Main --config FILE}, the test's class
 * path), as an operator runs it: the cluster tests need origins that can die alone. The config is
 * JSON (which YAML reads); ports 0 are learned from the "Headwater is up" log line. The log goes to
 * target/LABEL.log.
 */
final class OriginProcess implements AutoCloseable {
  private static final Pattern UP =
      Pattern.compile("Headwater is up: HTTP on port (\\d+) .*RTMP on port (\\d+)");

  final String label;
  final Process process;
  final Path log;
  final int httpPort;
  final int rtmpPort;

  private OriginProcess(String label, Process process, Path log, int httpPort, int rtmpPort) {
    this.label = label;
    this.process = process;
    this.log = log;
    this.httpPort = httpPort;
    this.rtmpPort = rtmpPort;
  }

  static OriginProcess start(String label, JsonObject config) throws Exception {
    Path dir = Path.of("target");
    Path conf = dir.resolve(label + ".yaml");
    Files.writeString(conf, config.encodePrettily());
    Path log = dir.resolve(label + ".log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                List.of(
                    java,
                    "-Xmx512m",
                    "-cp",
                    System.getProperty("java.class.path"),
                    "dev.headwater.Main",
                    "--config",
                    conf.toString()))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      Matcher m = UP.matcher(Files.readString(log, StandardCharsets.UTF_8));
      if (m.find()) {
        return new OriginProcess(
            label, p, log, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
      }
      if (!p.isAlive()) {
        throw new IllegalStateException(
            "origin " + label + " exited: " + Files.readString(log, StandardCharsets.UTF_8));
      }
      Thread.sleep(100);
    }
    p.destroyForcibly();
    throw new IllegalStateException("origin " + label + " did not come up in 90 s; see " + log);
  }

  String base() {
    return "http://127.0.0.1:" + httpPort;
  }

  String rtmpUrl(String name) {
    return "rtmp://127.0.0.1:" + rtmpPort + "/live/" + name;
  }

  String log() throws IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }

  HttpResponse<byte[]> get(HttpClient http, String path) throws Exception {
    HttpRequest r =
        HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(20)).build();
    return http.send(r, HttpResponse.BodyHandlers.ofByteArray());
  }

  /** As a crash or a power cut: no chance to leave the cluster or end its streams. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}
