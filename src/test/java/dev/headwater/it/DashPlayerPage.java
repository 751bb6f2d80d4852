package dev.headwater.it;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
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
            PageServer.resource("/dash-player/index.html"),
            "/player.js",
            Files.readAllBytes(
                Path.of("src", "test", "js", "node_modules").resolve(player.library)),
            "/clock.js",
            PageServer.resource("/webroot/clock.js"));
    HttpServer server = PageServer.start(files);
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

  @Override
  public void close() {
    server.stop(0);
  }
}
