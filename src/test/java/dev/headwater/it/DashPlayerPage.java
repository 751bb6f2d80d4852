package dev.headwater.it;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Serves the stock DASH player page (src/test/resources/dash-player) with the current dash.js or
 * Shaka Player release installed from npm into src/test/js, on a loopback port of its own, so the
 * page plays Headwater cross-origin like any third-party player would.
 */
final class DashPlayerPage implements AutoCloseable {
  enum Player {
    DASHJS("dashjs", Path.of("dashjs", "dist", "modern", "umd", "dash.all.min.js")),
    SHAKA("shaka", Path.of("shaka-player", "dist", "shaka-player.compiled.js"));

    final String param;
    final Path library;

    Player(String param, Path library) {
      this.param = param;
      this.library = library;
    }
  }

  private final HttpServer server;
  private final Player player;

  private DashPlayerPage(HttpServer server, Player player) {
    this.server = server;
    this.player = player;
  }

  static DashPlayerPage start(Player player) throws IOException {
    PlaylistConformance.ensureNodeModules();
    Map<String, byte[]> files =
        Map.of(
            "/",
            resource("/dash-player/index.html"),
            "/player.js",
            Files.readAllBytes(
                Path.of("src", "test", "js", "node_modules").resolve(player.library)),
            "/clock.js",
            Files.readAllBytes(Path.of("src", "main", "resources", "webroot", "clock.js")));
    // Port 0: the kernel picks a free port at bind time, so two test JVMs never race for one.
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext(
        "/",
        exchange -> {
          byte[] body = files.get(exchange.getRequestURI().getPath());
          if (body == null) {
            exchange.sendResponseHeaders(404, -1);
          } else {
            String path = exchange.getRequestURI().getPath();
            exchange
                .getResponseHeaders()
                .add(
                    "Content-Type",
                    path.endsWith(".js") ? "text/javascript" : "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
          }
          exchange.close();
        });
    server.start();
    return new DashPlayerPage(server, player);
  }

  /** The page playing {@code mpdUrl}. */
  String url(String mpdUrl) {
    return "http://127.0.0.1:"
        + server.getAddress().getPort()
        + "/?player="
        + player.param
        + "&src="
        + URLEncoder.encode(mpdUrl, StandardCharsets.UTF_8);
  }

  private static byte[] resource(String path) {
    try (InputStream in = DashPlayerPage.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + path);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
