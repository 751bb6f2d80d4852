package dev.headwater.it;

import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Three origins (A, B, C) as processes on loopback forming one Hazelcast cluster: TCP/IP members on
 * 127.0.0.1 from {@code basePort}, a cluster name of their own, a 4 s member timeout. Closes what
 * the test hands it ({@link #closeAtEnd}), last first, then the origins.
 */
final class OriginCluster implements AutoCloseable {
  final OriginProcess a;
  final OriginProcess b;
  final OriginProcess c;
  private final String prefix;
  private final int basePort;
  private final Consumer<JsonObject> tweak;
  private final String name = "it-" + UUID.randomUUID();
  private final List<AutoCloseable> closing = new ArrayList<>();

  private OriginCluster(String prefix, int basePort, Consumer<JsonObject> tweak) throws Exception {
    this.prefix = prefix;
    this.basePort = basePort;
    this.tweak = tweak;
    this.a = start("a", config("a"));
    this.b = start("b", config("b"));
    this.c = start("c", config("c"));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> c.log().contains("(3 origins)") || a.log().contains("(3 origins)"));
  }

  /**
   * @param prefix names the origins' logs and data directories under target/
   * @param tweak changes each origin's configuration ({@link TestServer#smallLadder()} + cluster)
   */
  static OriginCluster start(String prefix, int basePort, Consumer<JsonObject> tweak)
      throws Exception {
    return new OriginCluster(prefix, basePort, tweak);
  }

  /** An origin's configuration: its own data directory (recordings emptied) and the cluster. */
  JsonObject config(String label) throws IOException {
    JsonObject json = TestServer.smallLadder();
    Path data = Path.of("target", prefix + "-" + label + "-data");
    deleteTree(data.resolve("recordings"));
    json.put("dataDir", data.toString());
    JsonArray members = new JsonArray();
    for (int i = 0; i < 3; i++) {
      members.add("127.0.0.1:" + (basePort + i));
    }
    json.put(
        "cluster",
        new JsonObject()
            .put("enabled", true)
            .put("name", name)
            .put("host", "127.0.0.1")
            .put("port", basePort)
            .put("members", members)
            .put("memberTimeoutSeconds", 4.0));
    tweak.accept(json);
    return json;
  }

  /** Starts one more origin of this cluster (closed at the end). */
  OriginProcess start(String label, JsonObject config) throws Exception {
    return closeAtEnd(OriginProcess.start(prefix + "-" + label, config));
  }

  <T extends AutoCloseable> T closeAtEnd(T t) {
    closing.add(t);
    return t;
  }

  private static void deleteTree(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (var paths = Files.walk(dir)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Override
  public void close() {
    for (int i = closing.size() - 1; i >= 0; i--) {
      try {
        closing.get(i).close();
      } catch (Exception e) {
        // the next one still closes
      }
    }
  }
}
