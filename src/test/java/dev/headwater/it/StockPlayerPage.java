package dev.headwater.it;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Serves the stock-player page (src/test/resources/stock-player) with a chosen hls.js build on a
 * loopback port of its own, so the page plays Headwater cross-origin like any third-party player
 * would: hls.js 1.4.12 from the WebJar the player page uses, or the current release installed from
 * npm into src/test/js.
 */
final class StockPlayerPage implements AutoCloseable {
  /** The hls.js release the player page ships (WebJar). */
  static final String WEBJAR = "1.4.12";

  /** The current hls.js release, from npm (src/test/js/package.json). */
  static final String CURRENT = "current";

  private final HttpServer server;

  private StockPlayerPage(HttpServer server) {
    this.server = server;
  }

  static StockPlayerPage start(String hlsjs) throws IOException {
    PlaylistConformance.ensureNodeModules();
    byte[] library =
        hlsjs.equals(WEBJAR)
            ? PageServer.resource(
                "/META-INF/resources/webjars/hls.js/" + WEBJAR + "/dist/hls.min.js")
            : Files.readAllBytes(
                Path.of("src", "test", "js", "node_modules", "hls.js", "dist", "hls.min.js"));
    Map<String, byte[]> files =
        Map.of(
            "/", PageServer.resource("/stock-player/index.html"),
            "/hls.js", library,
            "/clock.js", PageServer.resource("/webroot/clock.js"));
    HttpServer server = PageServer.start(files);
    return new StockPlayerPage(server);
  }

  /** The page playing {@code masterUrl}. */
  String url(String masterUrl) {
    return "http://127.0.0.1:"
        + server.getAddress().getPort()
        + "/?src="
        + URLEncoder.encode(masterUrl, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
