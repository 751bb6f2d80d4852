package dev.headwater.serve;

import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.impl.Http2ServerConnection;

/**
 * Merges the flushes of an HTTP/2 connection within one event-loop task. Vert.x flushes an HTTP/2
 * connection after every stream write made outside a read, so a wake pass answering 1,000 parked
 * streams of one CDN-edge connection made 1,000 {@code write} syscalls — on loopback ~9 µs each,
 * which is most of the pass (loadtest/RESULTS.md). With Netty's {@link FlushConsolidationHandler}
 * the writes of a pass leave in one syscall per connection when the pass's task ends (or every
 * {@value #MAX_FLUSHES} responses), so it adds no latency beyond the pass itself.
 *
 * <p>HTTP/1.1 connections are left alone: they carry one response per pass, so there is nothing to
 * merge. Vert.x's public API has no pipeline hook, hence the one use of its implementation classes.
 */
final class Http2FlushConsolidation {
  /** Flushes merged at most before one goes through; bounds the bytes a connection holds back. */
  static final int MAX_FLUSHES = 256;

  private static final String NAME = "headwater-flush-consolidation";

  private Http2FlushConsolidation() {}

  /** Connection handler of the HTTP server: installs the consolidation on HTTP/2 connections. */
  static void install(HttpConnection conn) {
    if (conn instanceof Http2ServerConnection h2) {
      var pipeline = h2.channel().pipeline();
      if (pipeline.get(NAME) == null) {
        // Before Vert.x's connection handler ("handler"), so every flush it starts passes through
        // here.
        pipeline.addBefore("handler", NAME, new FlushConsolidationHandler(MAX_FLUSHES, true));
      }
    }
  }
}
