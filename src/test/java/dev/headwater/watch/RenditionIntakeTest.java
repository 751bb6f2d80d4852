package dev.headwater.watch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headwater.config.HeadwaterConfig;
import dev.headwater.metrics.Metrics;
import dev.headwater.timeline.RenditionKind;
import dev.headwater.timeline.RenditionSnapshot;
import dev.headwater.timeline.RenditionSpec;
import dev.headwater.timeline.TimelinePart;
import dev.headwater.timeline.TimelineSegment;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The intake reads each POST chunk in place (its backing array, at its own offset) and the timeline
 * ends up with every byte FFmpeg wrote, in order, whatever the chunk is.
 */
class RenditionIntakeTest {
  private static final RenditionSpec SPEC =
      new RenditionSpec("720p", RenditionKind.VIDEO, 720, 3_000_000, 2_800_000, 30);

  /** Written with +skip_trailer: every byte belongs to the init section or a part. */
  private static final Path FILE = Path.of("src/test/resources/fixtures/cmaf/video-cmaf-prft.mp4");

  private static byte[] served(Function<byte[], Buffer> chunkOf, byte[] file, int chunkSize) {
    RenditionIntake intake =
        new RenditionIntake(
            "demo",
            SPEC,
            HeadwaterConfig.defaults().hls(),
            new Metrics().forStream("demo"),
            run -> 0L);
    assertTrue(intake.beginRun(0));
    for (int p = 0; p < file.length; p += chunkSize) {
      byte[] chunk = Arrays.copyOfRange(file, p, Math.min(file.length, p + chunkSize));
      intake.push(chunkOf.apply(chunk));
    }
    intake.end();
    RenditionSnapshot s = intake.timeline().snapshot();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(s.inits().get(0).bytes().getBytes());
    for (TimelineSegment seg : s.segments()) {
      for (TimelinePart part : seg.parts()) {
        out.writeBytes(part.bytes().getBytes());
      }
    }
    return out.toByteArray();
  }

  /**
   * A chunk that is a slice in the middle of a larger heap array: array offset and reader index are
   * not 0.
   */
  private static Buffer sliced(byte[] chunk) {
    byte[] padded = new byte[chunk.length + 11];
    Arrays.fill(padded, (byte) 0x5a);
    System.arraycopy(chunk, 0, padded, 7, chunk.length);
    ByteBuf buf = Unpooled.wrappedBuffer(padded).slice(3, chunk.length + 6);
    buf.readerIndex(4);
    buf.writerIndex(4 + chunk.length);
    return BufferInternal.buffer(buf);
  }

  /** A chunk in direct memory: no backing array, so the intake copies it out. */
  private static Buffer direct(byte[] chunk) {
    // Wrapping a JDK buffer: not reference counted by Netty's leak detector, freed by the GC.
    ByteBuf buf = Unpooled.wrappedBuffer(ByteBuffer.allocateDirect(chunk.length).put(chunk).flip());
    assertFalse(buf.hasArray());
    return BufferInternal.buffer(buf);
  }

  @Test
  void everyByteReachesTheTimelineWhateverTheChunk() throws Exception {
    byte[] file = Files.readAllBytes(FILE);
    for (int chunkSize : new int[] {1, 7, 1000, file.length}) {
      assertArrayEquals(
          file, served(Buffer::buffer, file, chunkSize), "heap chunks of " + chunkSize);
      assertArrayEquals(
          file,
          served(RenditionIntakeTest::sliced, file, chunkSize),
          "sliced chunks of " + chunkSize);
      assertArrayEquals(
          file,
          served(RenditionIntakeTest::direct, file, chunkSize),
          "direct chunks of " + chunkSize);
    }
  }
}
