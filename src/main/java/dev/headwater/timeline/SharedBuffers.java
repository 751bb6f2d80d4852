package dev.headwater.timeline;

import dev.headwater.media.Bytes;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.ByteBuffer;

/**
 * Turns media {@link Bytes} into the Vert.x {@link Buffer} every response shares: one copy into
 * direct (off-heap) memory per part or init section, made once when it is cut.
 *
 * <p>Why direct: a socket write needs its bytes in native memory, so Netty copies a heap buffer
 * into a direct one for every response it writes. With a thousand viewers that is a thousand copies
 * of each part (CPU), and a client that stops reading holds its own copy of a whole segment in its
 * outbound queue (memory). A direct buffer is handed to the kernel as it is: every viewer's
 * response points at the same bytes.
 *
 * <p>Why sharing is safe: Vert.x writes a {@code Buffer} through {@code
 * BufferInternal#getByteBuf()}, which hands Netty a fresh slice (its own reader index) wrapped as
 * unreleasable, so a response neither consumes nor releases the shared buffer. The buffer is
 * read-only as well: a {@code set} or {@code append} on it throws instead of changing what other
 * viewers receive. The memory is a JDK direct {@link ByteBuffer}, freed by its cleaner once the
 * timeline and the last response have dropped it: nothing has to release it, and Netty's leak
 * detector does not track it.
 */
final class SharedBuffers {

  private SharedBuffers() {}

  static Buffer wrap(Bytes bytes) {
    ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length());
    for (ByteBuffer range : bytes.asByteBuffers()) {
      direct.put(range.duplicate());
    }
    direct.flip();
    return BufferInternal.buffer(Unpooled.wrappedBuffer(direct).asReadOnly());
  }
}
