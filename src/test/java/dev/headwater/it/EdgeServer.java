package dev.headwater.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real CDN edge engine on a loopback port, configured with the file Headwater ships in conf/edge/
 * (the origin placeholder, the listen port and paths substituted, nothing else changed): Varnish
 * ({@code varnishd -F}) or nginx ({@code daemon off}, the shipped file included into a generated
 * nginx.conf whose logs, pid and temp paths are in a temp directory).
 */
final class EdgeServer implements AutoCloseable {
  enum Engine {
    VARNISH("/usr/sbin/varnishd", "varnish"),
    NGINX("/usr/sbin/nginx", "nginx");

    final String binary;
    final String apt;

    Engine(String binary, String apt) {
      this.binary = binary;
      this.apt = apt;
    }
  }

  final Engine engine;
  final int port;
  private final Process process;
  private final Path dir;

  private EdgeServer(Engine engine, int port, Process process, Path dir) {
    this.engine = engine;
    this.port = port;
    this.process = process;
    this.dir = dir;
  }

  /**
   * The engine in front of {@code 127.0.0.1:originPort}. Outside CI a machine without the engine
   * skips the test; in CI (which installs it, .ci/run) that is a failure.
   */
  static EdgeServer start(Engine engine, int originPort) throws Exception {
    return start(engine, List.of(originPort));
  }

  /**
   * The engine in front of several origins of one cluster, any of which answers for any stream
   * (README, "Running several origins"): nginx with one {@code server} line per origin; Varnish
   * with a backend per origin behind the round-robin director and health probe its VCL's comment
   * gives (two origins, as the comment's lines name them).
   */
  static EdgeServer start(Engine engine, List<Integer> originPorts) throws Exception {
    boolean installed = new File(engine.binary).canExecute();
    if (System.getenv("CI") == null) {
      Assumptions.assumeTrue(installed, engine.apt + " not installed (CI installs it)");
    }
    assertTrue(installed, "CI must install " + engine.apt + " (see .ci/run)");
    Path dir = Files.createTempDirectory("edge-" + engine.apt);
    // The engines' unprivileged processes (Varnish's vcache, nginx's workers) must reach it.
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    String origin =
        String.join("; server ", originPorts.stream().map(p -> "127.0.0.1:" + p).toList());
    for (int attempt = 0; ; attempt++) {
      int port = freePort();
      List<String> command =
          engine == Engine.VARNISH ? varnish(dir, originPorts, port) : nginx(dir, origin, port);
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("engine.log").toFile())
              .start();
      EdgeServer edge = new EdgeServer(engine, port, p, dir);
      if (edge.awaitListening()) {
        return edge;
      }
      String log = edge.log();
      edge.close();
      // Another process may have taken the port between freePort() and the engine's bind.
      if (attempt == 2 || !log.contains("ddress already in use")) {
        throw new IllegalStateException(engine + " did not start:\n" + log);
      }
    }
  }

  private static List<String> varnish(Path dir, List<Integer> origins, int port)
      throws IOException {
    String shipped = Files.readString(Path.of("conf", "edge", "varnish", "headwater.vcl"));
    String vcl =
        origins.size() == 1 ? backend(shipped, origins.get(0)) : severalOrigins(shipped, origins);
    Path file = dir.resolve("headwater.vcl");
    Files.writeString(file, vcl);
    List<String> c =
        new ArrayList<>(
            List.of(
                Engine.VARNISH.binary,
                "-F",
                "-a",
                "127.0.0.1:" + port,
                "-f",
                file.toString(),
                "-n",
                dir.resolve("varnish").toString(),
                "-s",
                "malloc,64m",
                // The management interface on a port of the kernel's choosing (default: 6082).
                "-T",
                "127.0.0.1:0"));
    // As root, Varnish drops privileges to its packaged users (the default "unix" jail); anyone
    // else runs it without a jail.
    if (!"root".equals(System.getProperty("user.name"))) {
      c.addAll(List.of("-j", "none"));
    }
    return c;
  }

  private static String backend(String vcl, int port) {
    return vcl.replace("\"ORIGIN_HOST\"", "\"127.0.0.1\"")
        .replace("\"ORIGIN_PORT\"", "\"" + port + "\"");
  }

  /**
   * The shipped VCL turned into an edge over several origins by following its comment: the backend
   * copied once per origin (origin_a, origin_b, with the probe), the comment's first part after
   * {@code vcl 4.1;}, its second before {@code sub vcl_recv}.
   */
  private static String severalOrigins(String vcl, List<Integer> origins) {
    List<String> recipe = new ArrayList<>();
    boolean in = false;
    for (String line : vcl.split("\n")) {
      if (line.equals("#   import directors;")) {
        in = true;
      }
      if (in && !line.startsWith("#   ")) {
        break;
      }
      if (in) {
        recipe.add(line.substring(4));
      }
    }
    String joined = String.join("\n", recipe);
    int cut = joined.indexOf("\n---\n");
    assertTrue(cut > 0, "the VCL's comment gives the directors recipe in two parts:\n" + joined);
    String head = joined.substring(0, cut) + "\n";
    String subs = joined.substring(cut + 5) + "\n\n";
    List<String> names = new ArrayList<>();
    for (String line : recipe) {
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("add_backend\\((\\w+)\\)").matcher(line);
      if (m.find()) {
        names.add(m.group(1));
      }
    }
    assertTrue(
        names.size() == origins.size(), "the recipe names " + names + " for " + origins.size());
    int start = vcl.indexOf("backend headwater {");
    int end = vcl.indexOf("\n}\n", start) + 3;
    String backend = vcl.substring(start, end);
    StringBuilder backends = new StringBuilder();
    for (int i = 0; i < origins.size(); i++) {
      backends.append(
          backend(
                  backend
                      .replace("backend headwater {", "backend " + names.get(i) + " {")
                      .replace("\n}\n", "\n    .probe = headwater_health;\n}\n"),
                  origins.get(i))
              + "\n");
    }
    String out =
        vcl.substring(0, start)
            + backends
            + vcl.substring(end)
                .replaceFirst(
                    "(?m)^sub vcl_recv \\{",
                    java.util.regex.Matcher.quoteReplacement(subs + "sub vcl_recv {"));
    return out.replaceFirst(
        "(?m)^vcl 4\\.1;$", "vcl 4.1;\n" + java.util.regex.Matcher.quoteReplacement(head));
  }

  private static List<String> nginx(Path dir, String origin, int port) throws IOException {
    String shipped =
        Files.readString(Path.of("conf", "edge", "nginx", "headwater.conf"))
            .replace("server ORIGIN;", "server " + origin + ";")
            .replace("listen 80;", "listen 127.0.0.1:" + port + ";")
            .replace("/var/lib/nginx/headwater-cache", dir.resolve("cache").toString());
    Files.writeString(dir.resolve("headwater.conf"), shipped);
    Files.createDirectories(dir.resolve("temp"));
    String conf =
        String.join(
            "\n",
            "worker_processes 1;",
            "error_log " + dir.resolve("error.log") + " info;",
            "pid " + dir.resolve("nginx.pid") + ";",
            "events { worker_connections 4096; }",
            "http {",
            "  access_log " + dir.resolve("access.log") + ";",
            "  client_body_temp_path " + dir.resolve("temp/body") + ";",
            "  proxy_temp_path " + dir.resolve("temp/proxy") + ";",
            "  fastcgi_temp_path " + dir.resolve("temp/fastcgi") + ";",
            "  uwsgi_temp_path " + dir.resolve("temp/uwsgi") + ";",
            "  scgi_temp_path " + dir.resolve("temp/scgi") + ";",
            "  include " + dir.resolve("headwater.conf") + ";",
            "}",
            "");
    Path file = dir.resolve("nginx.conf");
    Files.writeString(file, conf);
    return List.of(
        Engine.NGINX.binary,
        "-p",
        dir.toString(),
        "-e",
        dir.resolve("error.log").toString(),
        "-c",
        file.toString(),
        "-g",
        "daemon off;");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private boolean awaitListening() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        return false;
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
        return true;
      } catch (IOException e) {
        Thread.sleep(100);
      }
    }
    return false;
  }

  String base() {
    return "http://127.0.0.1:" + port;
  }

  /** The engine's output and (nginx) error log, for failure messages. */
  String log() {
    StringBuilder b = new StringBuilder();
    for (String f : List.of("engine.log", "error.log")) {
      Path p = dir.resolve(f);
      try {
        if (Files.exists(p)) {
          b.append(Files.readString(p, StandardCharsets.UTF_8));
        }
      } catch (IOException e) {
        b.append(f).append(": ").append(e.getMessage());
      }
    }
    return b.toString();
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(5, TimeUnit.SECONDS);
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
