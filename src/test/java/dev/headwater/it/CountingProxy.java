package dev.headwater.it;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP/1.1 reverse proxy on a loopback port between a CDN edge and the origin that counts the
 * requests reaching the origin, by request URI (path and query). Bodies are passed on as they
 * arrive (a streamed segment stays streamed); an origin response that breaks off is reset towards
 * the edge, never ended, as the origin itself does.
 */
final class CountingProxy implements AutoCloseable {
  private static final Set<String> HOP_BY_HOP =
      Set.of("connection", "keep-alive", "transfer-encoding", "upgrade", "te", "trailer");

  private final Vertx vertx;
  private final HttpServer server;
  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

  private CountingProxy(Vertx vertx, HttpServer server) {
    this.vertx = vertx;
    this.server = server;
  }

  static CountingProxy start(int originPort) throws Exception {
    Vertx vertx = Vertx.vertx();
    HttpClientAgent client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setDefaultHost("127.0.0.1")
                .setDefaultPort(originPort)
                .setKeepAlive(true),
            new PoolOptions().setHttp1MaxSize(500));
    HttpServer server =
        vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0));
    CountingProxy proxy = new CountingProxy(vertx, server);
    server.requestHandler(
        req -> {
          proxy.counts.computeIfAbsent(req.uri(), k -> new AtomicInteger()).incrementAndGet();
          HttpServerResponse res = req.response();
          RequestOptions o = new RequestOptions().setMethod(req.method()).setURI(req.uri());
          MultiMap headers = MultiMap.caseInsensitiveMultiMap();
          req.headers().forEach(h -> copy(h.getKey(), h.getValue(), headers));
          headers.remove("host");
          o.setHeaders(headers);
          client
              .request(o)
              .compose(creq -> creq.send())
              .onSuccess(
                  cres -> {
                    res.setStatusCode(cres.statusCode());
                    cres.headers().forEach(h -> copy(h.getKey(), h.getValue(), res.headers()));
                    if (!res.headers().contains("content-length")) {
                      res.setChunked(true);
                    }
                    cres.pipe().endOnFailure(false).to(res).onFailure(e -> res.reset());
                  })
              .onFailure(
                  e -> {
                    if (!res.headWritten()) {
                      res.setStatusCode(502).end();
                    } else {
                      res.reset();
                    }
                  });
        });
    server.listen().await(10, TimeUnit.SECONDS);
    return proxy;
  }

  private static void copy(String name, String value, MultiMap to) {
    if (!HOP_BY_HOP.contains(name.toLowerCase(java.util.Locale.ROOT))) {
      to.add(name, value);
    }
  }

  int port() {
    return server.actualPort();
  }

  /** Requests for {@code uri} (path and query, as the edge sent it) that reached the origin. */
  int count(String uri) {
    AtomicInteger n = counts.get(uri);
    return n == null ? 0 : n.get();
  }

  /** Every URI counted so far, for failure messages. */
  Map<String, AtomicInteger> counts() {
    return Map.copyOf(counts);
  }

  @Override
  public void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }
}
