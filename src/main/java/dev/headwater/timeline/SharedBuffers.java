package dev.headwater.timeline;

import dev.headwater.media.Bytes;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

/**
 * Wraps media {@link Bytes} into the Vert.x {@link Buffer} every response shares, without copying:
 * a Netty buffer over the ranges' read-only views (a composite for several ranges, no
 * consolidation).
 *
 * <p>Why sharing is safe: Vert.x writes a {@code Buffer} through {@code
 * BufferInternal#getByteBuf()}, which hands Netty a fresh slice (its own reader index) wrapped as
 * unreleasable, so a response neither consumes nor releases the shared buffer. The buffer is
 * read-only as well: a {@code set} or {@code append} on it throws instead of changing what other
 * viewers receive. The wrapped buffers are unpooled heap views, so Netty's leak detector does not
 * track them and nothing has to release them.
 */
final class SharedBuffers {

  private SharedBuffers() {}

  static Buffer wrap(Bytes bytes) {
    // Unpooled.wrappedBuffer(ByteBuffer...) gives EMPTY_BUFFER, one wrapped range, or a composite
    // whose
    // component limit is the range count, so it never consolidates (copies) them.
    return BufferInternal.buffer(Unpooled.wrappedBuffer(bytes.asByteBuffers()).asReadOnly());
  }
}
