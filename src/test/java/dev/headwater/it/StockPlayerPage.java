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
            ? resource("/META-INF/resources/webjars/hls.js/" + WEBJAR + "/dist/hls.min.js")
            : Files.readAllBytes(
                Path.of("src", "test", "js", "node_modules", "hls.js", "dist", "hls.min.js"));
    Map<String, byte[]> files =
        Map.of(
            "/", resource("/stock-player/index.html"),
            "/hls.js", library,
            "/clock.js", resource("/webroot/clock.js"));
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
    return new StockPlayerPage(server);
  }

  /** The page playing {@code masterUrl}. */
  String url(String masterUrl) {
    return "http://127.0.0.1:"
        + server.getAddress().getPort()
        + "/?src="
        + URLEncoder.encode(masterUrl, StandardCharsets.UTF_8);
  }

  private static byte[] resource(String path) {
    try (InputStream in = StockPlayerPage.class.getResourceAsStream(path)) {
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
