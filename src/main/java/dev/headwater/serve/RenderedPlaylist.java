package dev.headwater.serve;

import io.vertx.core.buffer.Buffer;

/** A playlist rendered once for a snapshot: plain and gzipped bytes, shared by every response. */
record RenderedPlaylist(Buffer plain, Buffer gzipped) {
  static RenderedPlaylist of(String text) {
    byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return new RenderedPlaylist(Buffer.buffer(bytes), Buffer.buffer(Gzip.gzip(bytes)));
  }
}
