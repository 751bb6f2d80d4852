package dev.headwater.media.isobmff;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.UniqueElements;

class Fmp4StreamReaderPropertiesTest {

  static final byte[] VIDEO = TestBytes.resource("video-cmaf-prft.mp4");
  static final byte[] AUDIO = TestBytes.resource("audio-aac-48k.mp4");
  static final int MAX_BOX = 1 << 20;

  @Property(tries = 300)
  void randomBytesInRandomChunksNeverThrow(
      @ForAll @Size(max = 3000) byte[] data,
      @ForAll @Size(max = 20) List<@IntRange(min = 1, max = 64) Integer> chunks,
      @ForAll @IntRange(min = 16, max = 4096) int maxBox) {
    TestBytes.readInChunks(data, chunks, maxBox);
  }

  @Property(tries = 300)
  void randomBytesAfterAValidInitNeverThrow(
      @ForAll @Size(max = 3000) byte[] data,
      @ForAll @Size(max = 20) List<@IntRange(min = 1, max = 64) Integer> chunks) {
    TestBytes.readInChunks(TestBytes.concat(HandcraftedBoxes.INIT, data), chunks, 4096);
  }

  /** Mutating real streams reaches the moov/moof parsers far more often than random bytes. */
  @Property(tries = 500)
  void mutatedRealStreamsNeverThrow(
      @ForAll boolean audio,
      @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 0, max = 1 << 30) Integer> positions,
      @ForAll @Size(min = 8, max = 8) List<@IntRange(min = 0, max = 255) Integer> values,
      @ForAll @Size(max = 10) List<@IntRange(min = 1, max = 5000) Integer> chunks) {
    byte[] data = (audio ? AUDIO : VIDEO).clone();
    for (int i = 0; i < positions.size(); i++) {
      // Bias towards the init segment and first fragments, where the structure is.
      int limit = i % 2 == 0 ? Math.min(data.length, 1500) : data.length;
      data[positions.get(i) % limit] = (byte) (int) values.get(i);
    }
    TestBytes.readInChunks(data, chunks, MAX_BOX);
  }

  @Property(tries = 200)
  void anySplitGivesTheSameItems(
      @ForAll boolean audio,
      @ForAll @Size(max = 30) @UniqueElements
          List<@IntRange(min = 1, max = 1 << 30) Integer> cuts) {
    byte[] data = audio ? AUDIO : VIDEO;
    List<Fmp4Item> whole = TestBytes.readInChunks(data, List.of(), MAX_BOX).items();
    List<Integer> sizes = cuts.stream().map(c -> c % data.length).sorted().distinct().toList();
    Fmp4StreamReader reader = new Fmp4StreamReader(MAX_BOX);
    List<Fmp4Item> items = new java.util.ArrayList<>();
    int from = 0;
    for (int to : sizes) {
      items.addAll(reader.push(data, from, to - from).items());
      from = to;
    }
    items.addAll(reader.push(data, from, data.length - from).items());
    if (!whole.equals(items)) {
      throw new AssertionError("split at " + sizes + " changed the items");
    }
  }
}
