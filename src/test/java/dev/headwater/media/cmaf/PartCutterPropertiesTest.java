package dev.headwater.media.cmaf;

import static dev.headwater.media.cmaf.CutterFixtures.closes;
import static dev.headwater.media.cmaf.CutterFixtures.fragment;
import static dev.headwater.media.cmaf.CutterFixtures.parts;
import static dev.headwater.media.cmaf.CutterFixtures.run;
import static dev.headwater.media.cmaf.CutterFixtures.segments;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headwater.media.isobmff.Fragment;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

class PartCutterPropertiesTest {

  static final long TIMESCALE = 90_000;
  static final long PART_TARGET = 18_000;

  /** Any durations (including oversize and zero) and any independence pattern. */
  @Property(tries = 300)
  void nothingIsLostAndOrderIsKept(
      @ForAll @LongRange(min = 0, max = 1L << 40) long start,
      @ForAll @Size(min = 1, max = 300) List<@IntRange(min = 0, max = 40_000) Integer> durations,
      @ForAll @Size(min = 1, max = 300) List<Boolean> independence) {
    List<Fragment> fragments = new ArrayList<>();
    long t = start;
    for (int i = 0; i < durations.size(); i++) {
      fragments.add(fragment(t, durations.get(i), independence.get(i % independence.size())));
      t += durations.get(i);
    }
    PartCutter cutter = new PartCutter(TIMESCALE, 0.2, 2.0);
    List<CutterEvent> events = run(cutter, fragments);
    List<CmafPart> parts = parts(events);

    assertArrayEquals(
        join(fragments.stream().map(f -> f.bytes().toArray()).toList()),
        join(parts.stream().map(p -> p.bytes().toArray()).toList()));

    // Parts tile the timeline and each is within the target unless it is one oversize fragment.
    long expectedStart = start;
    for (CmafPart p : parts) {
      assertEquals(expectedStart, p.startTime());
      expectedStart = p.endTime();
      assertTrue(
          p.duration() <= PART_TARGET || p.size() == 12,
          () -> "oversize part of several fragments " + p);
    }
    assertEquals(t, expectedStart);

    // Segments tile the parts: SegmentClosed follows its parts, startsSegment marks the first.
    int partIndex = 0;
    int segmentParts = 0;
    long segmentStart = start;
    for (CutterEvent e : events) {
      if (e instanceof PartClosed pc) {
        assertEquals(segmentParts == 0, pc.part().startsSegment());
        segmentParts++;
        partIndex++;
      } else if (e instanceof SegmentClosed s) {
        assertEquals(segmentStart, s.startTime());
        assertEquals(segmentParts, s.partCount());
        segmentStart += s.duration();
        segmentParts = 0;
      }
    }
    assertEquals(0, segmentParts, "flush closed the last segment");
    assertEquals(t, segmentStart);
    assertEquals(parts.size(), partIndex);
  }

  /**
   * With a steady frame rate of at most 15% of the part target, every part is within [85%, 100%] of
   * the target except independent parts and the last part of a segment (rfc8216bis 4.4.4.9), and
   * segments start only at independent fragments.
   */
  @Property(tries = 300)
  void partsRespectTheTargetWindow(
      @ForAll @IntRange(min = 1, max = 2_700) int frameDuration,
      @ForAll @LongRange(min = 0, max = 1L << 40) long start,
      @ForAll @IntRange(min = 1, max = 400) int count,
      @ForAll @Size(min = 1, max = 97) List<Boolean> independence) {
    List<Fragment> fragments = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      fragments.add(
          fragment(
              start + (long) i * frameDuration,
              frameDuration,
              independence.get(i % independence.size())));
    }
    PartCutter cutter = new PartCutter(TIMESCALE, 0.2, 2.0);
    List<CutterEvent> events = run(cutter, fragments);
    // The closing events in order (each fragment's ChunkAdded between them is not asked about
    // here).
    List<CutterEvent> ordered = closes(events);
    for (int i = 0; i < ordered.size(); i++) {
      if (!(ordered.get(i) instanceof PartClosed pc)) {
        continue;
      }
      CmafPart p = pc.part();
      assertTrue(p.duration() <= PART_TARGET, () -> "over target: " + p);
      boolean lastOfSegment = i + 1 < ordered.size() && ordered.get(i + 1) instanceof SegmentClosed;
      if (!lastOfSegment && !p.independent()) {
        assertTrue(100 * p.duration() >= 85 * PART_TARGET, () -> "under 85%: " + p);
      }
      if (p.startsSegment() && i > 0) {
        assertTrue(p.independent(), () -> "segment starts at a non-independent part: " + p);
      }
    }
    assertEquals(0, cutter.oversizeParts());
    assertTrue(segments(events).size() >= 1);
  }

  static byte[] join(List<byte[]> arrays) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    arrays.forEach(out::writeBytes);
    return out.toByteArray();
  }
}
