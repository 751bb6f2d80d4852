package dev.headwater.it;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;

/**
 * A test page and its scripts served from memory on a loopback port of their own, so that the page
 * plays Headwater's streams cross-origin as a player on another site would (Headwater sends CORS).
 */
final class PageServer {
  private PageServer() {}

  /** Serves {@code files} (path → bytes; "/" is the page) until the server is stopped. */
  static HttpServer start(Map<String, byte[]> files) throws IOException {
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
    return server;
  }

  /** A classpath resource's bytes (test pages, the WebJar's hls.js, the player page's clock.js). */
  static byte[] resource(String path) {
    try (InputStream in = PageServer.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + path);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
