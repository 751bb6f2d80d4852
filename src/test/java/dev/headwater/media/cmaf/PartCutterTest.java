package dev.headwater.media.cmaf;

import static dev.headwater.media.cmaf.CutterFixtures.closes;
import static dev.headwater.media.cmaf.CutterFixtures.constantRate;
import static dev.headwater.media.cmaf.CutterFixtures.fragment;
import static dev.headwater.media.cmaf.CutterFixtures.parts;
import static dev.headwater.media.cmaf.CutterFixtures.run;
import static dev.headwater.media.cmaf.CutterFixtures.segments;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headwater.media.Bytes;
import dev.headwater.media.isobmff.Fragment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PartCutterTest {

  static final long VIDEO_TS = 90_000;
  static final long FRAME_30FPS = 3_000;
  static final long AUDIO_TS = 48_000;
  static final long AAC_FRAME = 1_024;

  @Test
  void targetsAreWholeTicks() {
    PartCutter video = new PartCutter(VIDEO_TS, 0.2, 2.0);
    assertEquals(18_000, video.partTargetTicks());
    assertEquals(180_000, video.segmentTargetTicks());
    PartCutter audio = new PartCutter(AUDIO_TS, 0.2, 2.0);
    assertEquals(9_600, audio.partTargetTicks());
    // 0.3 * 1000 is 299.99999999999994 in binary floating point
    assertEquals(300, new PartCutter(1000, 0.3, 2.0).partTargetTicks());
    // Never round a part target up: 1/3 s at 1000 Hz is 333 ticks, not 334.
    assertEquals(333, new PartCutter(1000, 1.0 / 3, 2.0).partTargetTicks());
    assertThrows(IllegalArgumentException.class, () -> new PartCutter(0, 0.2, 2.0));
    assertThrows(IllegalArgumentException.class, () -> new PartCutter(VIDEO_TS, 3.0, 2.0));
  }

  @Test
  void video30fpsKeyframeEvery2s() {
    PartCutter cutter = new PartCutter(VIDEO_TS, 0.2, 2.0);
    List<CutterEvent> events = run(cutter, constantRate(0, FRAME_30FPS, 180, 60));
    List<CmafPart> parts = parts(events);
    assertEquals(30, parts.size());
    for (int i = 0; i < parts.size(); i++) {
      CmafPart p = parts.get(i);
      assertEquals(i * 18_000L, p.startTime());
      assertEquals(18_000, p.duration(), "every part exactly 0.2 s");
      assertEquals(
          i % 10 == 0, p.independent(), "only the first part of a segment starts with a keyframe");
      assertEquals(i % 10 == 0, p.startsSegment());
      assertEquals(6 * 12, p.size());
    }
    assertEquals(
        List.of(
            new SegmentClosed(0, 180_000, 10),
            new SegmentClosed(180_000, 180_000, 10),
            new SegmentClosed(360_000, 180_000, 10)),
        segments(events));
    assertEquals(0, cutter.oversizeParts());
    assertEquals(0, cutter.longSegments());
    assertEquals(0, cutter.timelineGaps());
  }

  @Test
  void partClosesEagerlyOnTheSixthFrame() {
    PartCutter cutter = new PartCutter(VIDEO_TS, 0.2, 2.0);
    List<Fragment> frames = constantRate(0, FRAME_30FPS, 7, 60);
    for (int i = 0; i < 5; i++) {
      assertTrue(closes(cutter.push(frames.get(i))).isEmpty());
      assertEquals((i + 1) * FRAME_30FPS, cutter.openPartDuration());
    }
    List<CutterEvent> sixth = closes(cutter.push(frames.get(5)));
    assertEquals(1, sixth.size());
    assertEquals(18_000, assertInstanceOf(PartClosed.class, sixth.get(0)).part().duration());
    assertEquals(0, cutter.openPartDuration());
    assertEquals(FRAME_30FPS, cutter.lastFragmentDuration());
    assertFalse(cutter.openPartStartsSegment());
  }

  @Test
  void everyFragmentIsAChunkBetweenWhatItClosesAndThePartItCompletes() {
    PartCutter cutter = new PartCutter(VIDEO_TS, 0.2, 2.0);
    List<Fragment> frames = constantRate(0, FRAME_30FPS, 61, 60);
    List<CutterEvent> first = cutter.push(frames.get(0));
    assertEquals(List.of(new ChunkAdded(frames.get(0), true)), first);
    List<CutterEvent> events = new ArrayList<>(first);
    for (int i = 1; i < 60; i++) {
      List<CutterEvent> e = cutter.push(frames.get(i));
      // The sixth frame of a part completes it eagerly: its chunk comes first.
      assertEquals(new ChunkAdded(frames.get(i), false), e.get(0));
      if (i % 6 == 5) {
        assertEquals(2, e.size());
        assertInstanceOf(PartClosed.class, e.get(1));
      }
      events.addAll(e);
    }
    // The keyframe at 2.0 s closes the segment, then starts the next one.
    List<CutterEvent> boundary = cutter.push(frames.get(60));
    assertEquals(
        List.of(new SegmentClosed(0, 180_000, 10), new ChunkAdded(frames.get(60), true)), boundary);
    assertEquals(60, events.stream().filter(ChunkAdded.class::isInstance).count());
  }

  @Test
  void millisecondJitterStillGivesSixFrameParts() {
    // FLV passed through: 30 fps on a 1 kHz clock gives frame durations 33, 34, 33, 33, 34, 33 ms.
    PartCutter cutter = new PartCutter(1000, 0.2, 2.0);
    List<Fragment> frames = new java.util.ArrayList<>();
    long t = 0;
    for (int n = 1; n <= 60; n++) {
      long next = Math.round(n * 1000.0 / 30);
      frames.add(fragment(t, next - t, n == 1));
      t = next;
    }
    List<CmafPart> parts = parts(run(cutter, frames));
    assertEquals(10, parts.size());
    for (CmafPart p : parts) {
      assertEquals(200, p.duration(), "every part holds six frames: " + parts);
    }
  }

  @Test
  void segmentBoundaryEventOrder() {
    PartCutter cutter = new PartCutter(VIDEO_TS, 0.2, 2.0);
    List<Fragment> frames = constantRate(0, FRAME_30FPS, 63, 60);
    // 60 frames fill exactly 10 parts, so the keyframe at 2.0 s finds no open part and
    // only closes the segment.
    List<CutterEvent> events = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      events.addAll(closes(cutter.push(frames.get(i))));
    }
    assertEquals(10, events.size());
    assertEquals(180_000, cutter.nextSegmentBoundary());
    List<CutterEvent> atBoundary = closes(cutter.push(frames.get(60)));
    assertEquals(List.of(new SegmentClosed(0, 180_000, 10)), atBoundary);
    assertTrue(cutter.openPartStartsSegment());
    assertEquals(360_000, cutter.nextSegmentBoundary());
  }

  @Test
  void aacPartsOf192msAndSegmentsAtTheNearestFrame() {
    PartCutter cutter = new PartCutter(AUDIO_TS, 0.2, 2.0);
    List<CutterEvent> events = run(cutter, constantRate(0, AAC_FRAME, 282, 1));
    // Grid 96000, 192000, 288000: nearest frame starts are 94 x 1024 = 96256 (256 late,
    // against 768 early), 187 x 1024 = 191488 (512 early; 188 is 512 late: a tie goes to
    // the earlier frame) and 281 x 1024 = 287744 (256 early).
    assertEquals(
        List.of(
            new SegmentClosed(0, 96_256, 11),
            new SegmentClosed(96_256, 95_232, 11),
            new SegmentClosed(191_488, 96_256, 11),
            new SegmentClosed(287_744, 1_024, 1)),
        segments(events));
    List<Long> firstSegment = parts(events).stream().limit(11).map(CmafPart::duration).toList();
    List<Long> expected = new ArrayList<>(java.util.Collections.nCopies(10, 9_216L));
    expected.add(4_096L); // the last part of a segment may be short
    assertEquals(expected, firstSegment);
    assertTrue(parts(events).stream().allMatch(CmafPart::independent));
  }

  @Test
  void lateKeyframeKeepsTheSegmentOpen() {
    PartCutter cutter = new PartCutter(VIDEO_TS, 0.2, 2.0);
    List<Fragment> frames = new ArrayList<>();
    for (int i = 0; i < 90; i++) {
      // keyframes at 0 and 2.1 s; frame 60 (2.0 s) is not a keyframe
      frames.add(fragment(i * FRAME_30FPS, FRAME_30FPS, i == 0 || i == 63));
    }
    List<CutterEvent> events = run(cutter, frames);
    assertEquals(
        List.of(new SegmentClosed(0, 189_000, 11), new SegmentClosed(189_000, 81_000, 5)),
        segments(events));
    List<CmafPart> parts = parts(events);
    assertEquals(9_000, parts.get(10).duration(), "last part of the long segment holds 3 frames");
    assertTrue(parts.get(11).startsSegment());
    assertTrue(parts.get(11).independent());
    assertEquals(0, cutter.longSegments(), "189000 is below 1.5 x 180000");
  }

  @Test
  void veryLateKeyframeIsCounted() {
    PartCutter cutter = new PartCutter(VIDEO_TS, 0.2, 2.0);
    List<Fragment> frames = new ArrayList<>();
    for (int i = 0; i < 130; i++) {
      frames.add(fragment(i * FRAME_30FPS, FRAME_30FPS, i == 0 || i == 100 || i == 120));
    }
    List<CutterEvent> events = run(cutter, frames);
    // The keyframe at 3.33 s ends a 3.33 s segment; the next grid point is then 4.0 s, so
    // the keyframe at 4.0 s (frame 120) cuts again.
    assertEquals(
        List.of(
            new SegmentClosed(0, 300_000, 17),
            new SegmentClosed(300_000, 60_000, 4),
            new SegmentClosed(360_000, 30_000, 2)),
        segments(events));
    assertEquals(1, cutter.longSegments());
  }

  @Test
  void flushClosesThePartAndTheSegment() {
    PartCutter cutter = new PartCutter(VIDEO_TS, 0.2, 2.0);
    for (Fragment f : constantRate(0, FRAME_30FPS, 4, 60)) {
      assertTrue(closes(cutter.push(f)).isEmpty());
    }
    List<CutterEvent> flushed = cutter.flush();
    assertEquals(2, flushed.size());
    CmafPart part = assertInstanceOf(PartClosed.class, flushed.get(0)).part();
    assertEquals(12_000, part.duration());
    assertTrue(part.startsSegment());
    assertEquals(new SegmentClosed(0, 12_000, 1), flushed.get(1));
    assertTrue(cutter.flush().isEmpty(), "nothing left to close");
    assertEquals(PartCutter.State.NO_SEGMENT, cutter.state());
    // After a flush the next fragment starts a new segment, keyframe or not.
    cutter.push(fragment(12_000, FRAME_30FPS, false));
    assertTrue(cutter.openPartStartsSegment());
    assertEquals(PartCutter.State.SEGMENT_OPEN, cutter.state());
  }

  @Test
  void fragmentLongerThanTheTargetStandsAlone() {
    PartCutter cutter = new PartCutter(VIDEO_TS, 0.2, 2.0);
    List<CutterEvent> events =
        run(
            cutter,
            List.of(
                fragment(0, 3_000, true),
                fragment(3_000, 3_000, false),
                fragment(6_000, 30_000, false),
                fragment(36_000, 3_000, false)));
    assertEquals(
        List.of(6_000L, 30_000L, 3_000L), parts(events).stream().map(CmafPart::duration).toList());
    assertEquals(1, cutter.oversizeParts());
  }

  @Test
  void fragmentThatWouldOverflowClosesTheOpenPartFirst() {
    PartCutter cutter = new PartCutter(VIDEO_TS, 0.2, 2.0);
    List<Fragment> frames = new ArrayList<>(constantRate(0, FRAME_30FPS, 5, 60));
    frames.add(fragment(15_000, 6_000, false));
    List<CutterEvent> events = run(cutter, frames);
    assertEquals(List.of(15_000L, 6_000L), parts(events).stream().map(CmafPart::duration).toList());
    assertEquals(0, cutter.oversizeParts());
  }

  @Test
  void firstSegmentMayStartOffGridAndBeShort() {
    PartCutter cutter = new PartCutter(VIDEO_TS, 0.2, 2.0);
    // Starts at 1.5 s with a non-keyframe: it still starts the first segment, and the
    // keyframe at the grid point 2.0 s ends it.
    List<Fragment> frames = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      frames.add(fragment(135_000 + i * FRAME_30FPS, FRAME_30FPS, i == 15));
    }
    List<CutterEvent> events = run(cutter, frames);
    assertFalse(parts(events).get(0).independent());
    assertTrue(parts(events).get(0).startsSegment());
    assertEquals(
        List.of(new SegmentClosed(135_000, 45_000, 3), new SegmentClosed(180_000, 45_000, 3)),
        segments(events));
  }

  @Test
  void timelineGapsAreCounted() {
    PartCutter cutter = new PartCutter(VIDEO_TS, 0.2, 2.0);
    run(
        cutter,
        List.of(
            fragment(0, 3_000, true),
            fragment(3_000, 3_000, false),
            fragment(9_000, 3_000, false)));
    assertEquals(1, cutter.timelineGaps());
  }

  @Test
  void anotherTrackIsACallerBug() {
    PartCutter cutter = new PartCutter(VIDEO_TS, 0.2, 2.0);
    cutter.push(fragment(0, 3_000, true));
    Fragment other = new Fragment(Bytes.wrap(new byte[1]), 2, 3_000, 3_000, 1, true);
    assertThrows(IllegalArgumentException.class, () -> cutter.push(other));
  }

  @Test
  void partsAreImmutableAndCompareByContent() {
    CmafPart part = new CmafPart(Bytes.wrap(new byte[] {1, 2, 3}), 0, 1, true, true);
    part.bytes().toArray()[1] = 9;
    assertTrue(part.bytes().asByteBuffers()[0].isReadOnly());
    CmafPart twoRanges =
        new CmafPart(
            Bytes.concat(Bytes.wrap(new byte[] {1}), Bytes.wrap(new byte[] {0, 2, 3}, 1, 2)),
            0,
            1,
            true,
            true);
    assertEquals(twoRanges, part);
    assertEquals(twoRanges.hashCode(), part.hashCode());
    assertNotEquals(new CmafPart(Bytes.wrap(new byte[] {1, 2, 3}), 0, 1, true, false), part);
    assertNotEquals(new CmafPart(Bytes.wrap(new byte[] {1, 2, 4}), 0, 1, true, true), part);
  }

  @Test
  void partsShareTheFragmentsBytes() {
    PartCutter cutter = new PartCutter(VIDEO_TS, 0.2, 2.0);
    List<Fragment> frames = constantRate(0, FRAME_30FPS, 6, 60);
    List<CmafPart> parts = parts(run(cutter, frames));
    assertEquals(1, parts.size());
    Bytes bytes = parts.get(0).bytes();
    // One range per fragment: concatenated, not copied into a new array.
    assertEquals(6, bytes.rangeCount());
    assertEquals(Bytes.concat(frames.stream().map(Fragment::bytes).toList()), bytes);
  }
}
