package dev.headwater.media.isobmff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.headwater.media.FuzzSeeds;
import dev.headwater.media.FuzzSplits;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the fMP4 ingest reader ({@link Fmp4StreamReader}, with {@link BoxSplitter} and {@link
 * BoxReader} beneath it): any bytes in any split give items or an {@link Fmp4Error}, never an
 * exception; items come in stream order (one init segment, then fragments of its track); nothing
 * buffered or emitted exceeds the box bound; and the split does not change the outcome.
 *
 * <p>Input layout: one control byte, then the stream. Control bits 0-1 and 4-7 choose the push
 * sizes ({@link FuzzSplits}); bits 2-3 the box bound, from 64 bytes to 1 MiB.
 *
 * <p>Seeds: {@code Fmp4StreamReaderFuzzTestInputs/push/}, written by {@link #seeds()} ({@link
 * FuzzSeeds}).
 */
class Fmp4StreamReaderFuzzTest {

  static final int[] MAX_BOX = {64, 1024, 16 * 1024, 1 << 20};

  @FuzzTest(maxDuration = "20s")
  void push(byte[] input) {
    if (input.length == 0) {
      return;
    }
    int control = input[0] & 0xFF;
    int maxBox = MAX_BOX[(control >>> 2) & 3];
    byte[] stream = Arrays.copyOfRange(input, 1, input.length);
    List<Integer> pieces = FuzzSplits.pieces(control, stream.length);

    Outcome split = read(stream, pieces, maxBox);
    Outcome whole = read(stream, FuzzSplits.pieces(FuzzSplits.WHOLE, stream.length), maxBox);
    assertEquals(whole, split, "the push sizes changed the outcome");

    frame(stream, pieces, maxBox);
    walk(new BoxReader(stream, 0, stream.length), 0);
  }

  /** Everything a reader produced: items in order and the first error. */
  record Outcome(List<Fmp4Item> items, Fmp4Error error) {}

  private static Outcome read(byte[] stream, List<Integer> pieces, int maxBox) {
    Fmp4StreamReader reader = new Fmp4StreamReader(maxBox);
    List<Fmp4Item> items = new ArrayList<>();
    Fmp4Error error = null;
    long fed = 0;
    long emitted = 0;
    int p = 0;
    for (int n : pieces) {
      Fmp4ReadResult r = reader.push(stream, p, n);
      p += n;
      fed += n;
      if (error != null) {
        // Terminal: the first error again, nothing else.
        assertTrue(r.items().isEmpty(), "items after the stream failed");
        assertEquals(error, r.error().orElseThrow());
        continue;
      }
      for (Fmp4Item item : r.items()) {
        emitted += item.bytes().length();
        if (item instanceof InitSegment init) {
          assertTrue(items.isEmpty(), "init segment after other items");
          assertEquals(init.track(), reader.track().orElseThrow());
          assertTrue(init.size() <= 2L * maxBox, "init larger than ftyp + moov bounds");
        } else {
          Fragment f = (Fragment) item;
          assertFalse(items.isEmpty(), "fragment before the init segment");
          assertEquals(reader.track().orElseThrow().trackId(), f.trackId());
          assertTrue(f.size() <= 3L * maxBox, "fragment larger than leading + moof + mdat bounds");
          assertTrue(f.baseMediaDecodeTime() >= 0 && f.duration() >= 0 && f.sampleCount() >= 0);
        }
        items.add(item);
      }
      assertTrue(emitted <= fed, "emitted more bytes than were pushed");
      if (r.error().isPresent()) {
        error = r.error().get();
        assertNotNull(error.message());
        assertEquals(Fmp4StreamReader.State.FAILED, reader.state());
        assertEquals(error, reader.error().orElseThrow());
      } else {
        assertFalse(reader.state() == Fmp4StreamReader.State.FAILED, "failed without an error");
      }
    }
    return new Outcome(items, error);
  }

  /** The framer alone: boxes tile the stream, and at most one bounded box is ever buffered. */
  private static void frame(byte[] stream, List<Integer> pieces, int maxBox) {
    BoxSplitter splitter = new BoxSplitter(maxBox);
    long framed = 0;
    int p = 0;
    for (int n : pieces) {
      for (RawBox box : splitter.push(stream, p, n)) {
        assertEquals(framed, box.streamOffset(), "boxes do not tile the stream");
        assertTrue(box.length() >= box.header().headerSize() && box.length() <= maxBox);
        assertEquals(box.header().size(), box.length());
        framed += box.length();
      }
      p += n;
      assertTrue(splitter.pendingBytes() <= maxBox, "buffered beyond the bound");
      if (splitter.error().isEmpty()) {
        assertEquals(p, framed + splitter.pendingBytes(), "bytes lost or invented");
      }
    }
  }

  /** Walks the bytes as nested containers: children always lie inside their parent. */
  private static void walk(BoxReader r, int depth) {
    BoxReader.Child c;
    int before = r.remaining();
    while ((c = r.nextChild()) != null) {
      long size = c.header().size();
      assertTrue(size >= c.header().headerSize() && size <= before, "child outside its parent");
      assertEquals(size - c.header().headerSize(), c.payload().remaining());
      before = r.remaining();
      if (depth < 6) {
        walk(c.payload(), depth + 1);
      }
    }
  }

  @Test
  void seedCorpusIsCommitted() {
    FuzzSeeds.check(Fmp4StreamReaderFuzzTest.class, "push", seeds());
  }

  /** Seed inputs: the first fragments of the real FFmpeg fixtures (make-fixtures.sh). */
  static Map<String, byte[]> seeds() {
    Map<String, byte[]> seeds = new LinkedHashMap<>();
    seeds.put(
        "video-cmaf-prft-whole",
        control(FuzzSplits.WHOLE, 3, 0, firstFragments("video-cmaf-prft.mp4", 2)));
    seeds.put(
        "audio-aac-small-pushes",
        control(FuzzSplits.SMALL, 3, 1, firstFragments("audio-aac-48k.mp4", 2)));
    seeds.put(
        "video-h264-socket-pushes-16k-bound",
        control(FuzzSplits.SOCKET_LIKE, 2, 2, firstFragments("video-160x90-30fps.mp4", 1)));
    return seeds;
  }

  private static byte[] control(int splits, int maxBoxIndex, int seed, byte[] body) {
    return TestBytes.concat(new byte[] {(byte) (splits | maxBoxIndex << 2 | seed << 4)}, body);
  }

  /** The fixture up to and including its {@code fragments}-th mdat. */
  private static byte[] firstFragments(String fixture, int fragments) {
    byte[] all = TestBytes.resource(fixture);
    int end = 0;
    int mdats = 0;
    for (RawBox box : new BoxSplitter(1 << 20).push(all, 0, all.length)) {
      end += box.length();
      if (box.type() == FourCc.MDAT && ++mdats == fragments) {
        break;
      }
    }
    return Arrays.copyOf(all, end);
  }
}
