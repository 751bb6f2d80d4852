package dev.headwater.timeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headwater.media.Bytes;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RenditionTimelineTest {
  static final long TIMESCALE = 90_000;
  static final long PART_TICKS = 18_000; // 0.2 s
  static final long ANCHOR = 1_700_000_000_000L;
  static final RenditionSpec SPEC =
      new RenditionSpec("720p", RenditionKind.VIDEO, 720, 3_440_800, 3_074_400, 30);

  static InitSection init(int id) {
    return new InitSection(
        id,
        Buffer.buffer(new byte[] {0, 0, 0, 8, 'f', 't', 'y', 'p'}),
        "avc1.64001f",
        1280,
        720,
        TIMESCALE,
        0);
  }

  /**
   * Adds one segment of {@code parts} parts, starting at media time {@code start}; returns the next
   * start.
   */
  static long segment(RenditionTimeline t, long start, int parts) {
    for (int i = 0; i < parts; i++) {
      t.addPart(Bytes.wrap(new byte[] {(byte) i}), start, PART_TICKS, i == 0, i == 0, 0);
      start += PART_TICKS;
    }
    return start;
  }

  @Test
  void partBeforeInitIsRejected() {
    RenditionTimeline t = new RenditionTimeline(SPEC, 6, 2);
    assertThrows(
        IllegalStateException.class,
        () -> t.addPart(Bytes.wrap(new byte[1]), 0, PART_TICKS, true, true, 0));
  }

  private static Bytes bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return Bytes.wrap(b);
  }

  @Test
  void chunksOpenTheSegmentTheirPartsCloseIt() {
    RenditionTimeline t = new RenditionTimeline(SPEC, 6, 2);
    t.startRun(init(1), ANCHOR);
    GrowingSegment g = t.addChunk(bytes(1), 0, true, 5);
    assertSame(g, t.addChunk(bytes(2), 3_000, false, 6));
    assertEquals(0, g.msn());
    assertEquals(2, g.count());
    assertEquals(-1, g.lastClosedPart());
    RenditionSnapshot s = t.snapshot();
    assertSame(g, s.growing());
    assertTrue(s.isEmpty(), "no part yet: the segment is not in the playlist");
    // The part of those two chunks does not open another segment.
    TimelinePart p0 = t.addPart(bytes(1, 2), 0, 6_000, true, true, 7);
    assertEquals(0, p0.msn());
    assertEquals(0, g.lastClosedPart());
    assertEquals(0, g.chunk(0).partSequence());
    assertEquals(0, g.chunk(1).partSequence());
    GrowingSegment same = t.addChunk(bytes(3), 6_000, false, 8);
    assertSame(g, same);
    assertEquals(1, g.chunk(2).partSequence());
    t.addPart(bytes(3), 6_000, 3_000, false, false, 9);
    assertFalse(g.complete());
    // The next segment's first chunk completes this one.
    GrowingSegment next = t.addChunk(bytes(4), 9_000, true, 10);
    assertTrue(g.complete());
    assertFalse(g.abandoned());
    assertEquals(1, next.msn());
    RenditionSnapshot after = t.snapshot();
    assertSame(next, after.growing());
    assertTrue(after.segment(0).complete());
    assertEquals(9_000, after.segment(0).durationTicks());
    assertEquals(0, after.segment(0).startTicks());
    assertEquals(ANCHOR, after.segment(0).anchorMillis());
    // The chunk's bytes, copied once into the buffer every response shares.
    assertEquals(Buffer.buffer(new byte[] {1}), g.chunk(0).bytes());
    assertEquals(5, g.chunk(0).appendedNanos());
  }

  @Test
  void aSegmentWhoseRunBreaksBeforeAPartIsAbandoned() {
    RenditionTimeline t = new RenditionTimeline(SPEC, 6, 2);
    t.startRun(init(1), ANCHOR);
    segment(t, 0, 2);
    GrowingSegment g = t.addChunk(bytes(9), 2 * PART_TICKS, true, 0);
    assertEquals(1, g.msn());
    t.startRun(init(2), ANCHOR + 1000);
    assertTrue(g.abandoned());
    assertTrue(g.complete());
    assertNull(t.snapshot().growing());
    // Its number goes to the next segment, as before chunks existed.
    assertEquals(1, t.addChunk(bytes(10), 0, true, 0).msn());
  }

  @Test
  void chunksOfAPartThatNeverClosedAbandonTheSegment() {
    RenditionTimeline t = new RenditionTimeline(SPEC, 6, 2);
    t.startRun(init(1), ANCHOR);
    GrowingSegment g = t.addChunk(bytes(1), 0, true, 0);
    t.addPart(bytes(1), 0, 3_000, true, true, 0);
    t.addChunk(bytes(2), 3_000, false, 0);
    // A run replaced without a flush: the segment keeps its closed part, but what was streamed
    // (two chunks) is not that segment (one part).
    t.startRun(init(2), ANCHOR);
    assertTrue(g.abandoned());
    assertEquals(1, t.snapshot().segment(0).parts().size());
  }

  @Test
  void emptyTimelineSnapshot() {
    RenditionTimeline t = new RenditionTimeline(SPEC, 6, 2);
    t.startRun(init(1), ANCHOR);
    RenditionSnapshot s = t.snapshot();
    assertTrue(s.isEmpty());
    assertNull(s.last());
    assertNull(s.lastPart());
    assertNull(s.segment(0));
    assertNull(s.part(0));
    assertEquals(0, s.nextPartSequence());
    assertSame(SPEC, s.spec());
  }

  @Test
  void msnsAndPartSequencesGrow() {
    RenditionTimeline t = new RenditionTimeline(SPEC, 6, 2);
    t.startRun(init(1), ANCHOR);
    long time = 0;
    for (int seg = 0; seg < 3; seg++) {
      time = segment(t, time, 3);
    }
    RenditionSnapshot s = t.snapshot();
    assertEquals(List.of(0L, 1L, 2L), s.segments().stream().map(TimelineSegment::msn).toList());
    assertEquals(
        List.of(true, true, false), s.segments().stream().map(TimelineSegment::complete).toList());
    long expectedSequence = 0;
    for (TimelineSegment seg : s.segments()) {
      for (int i = 0; i < seg.parts().size(); i++) {
        TimelinePart p = seg.parts().get(i);
        assertEquals(expectedSequence++, p.sequence());
        assertEquals(seg.msn(), p.msn());
        assertEquals(i, p.index());
        assertEquals(i == 0, p.independent());
        assertEquals(0.2, p.duration(), 1e-12);
        assertEquals("p" + p.sequence() + ".m4s", p.uri());
      }
    }
    assertEquals(9, s.nextPartSequence());
    assertEquals(8, s.lastPart().sequence());
    assertEquals("s2.m4s", s.last().uri());
  }

  @Test
  void partWithoutSegmentStartJoinsOpenSegment() {
    RenditionTimeline t = new RenditionTimeline(SPEC, 6, 2);
    t.startRun(init(1), ANCHOR);
    t.addPart(Bytes.wrap(new byte[] {1, 2}), 0, PART_TICKS, true, true, 0);
    t.addPart(Bytes.wrap(new byte[] {3}), PART_TICKS, PART_TICKS, false, false, 0);
    TimelineSegment open = t.snapshot().last();
    assertEquals(0, open.msn());
    assertEquals(2, open.parts().size());
    assertEquals(3, open.byteLength());
    assertEquals(0.4, open.duration(), 1e-12);
    assertFalse(open.complete());
  }

  @Test
  void partBuffersHoldOneDirectCopyOfTheBytes() {
    RenditionTimeline t = new RenditionTimeline(SPEC, 6, 2);
    t.startRun(init(1), ANCHOR);
    byte[] first = {1, 2, 3};
    byte[] second = {9, 4, 5, 9};
    TimelinePart p =
        t.addPart(
            Bytes.concat(Bytes.wrap(first), Bytes.wrap(second, 1, 2)),
            0,
            PART_TICKS,
            true,
            true,
            0);
    assertEquals(Buffer.buffer(new byte[] {1, 2, 3, 4, 5}), p.bytes());
    // Off-heap, so that sockets write it without a copy per response.
    assertTrue(((BufferInternal) p.bytes()).getByteBuf().isDirect());
    first[0] = 7;
    second[2] = 8;
    assertEquals(Buffer.buffer(new byte[] {1, 2, 3, 4, 5}), p.bytes());
  }

  @Test
  void secondRunClosesOpenSegmentAndMarksNextDiscontinuity() {
    RenditionTimeline t = new RenditionTimeline(SPEC, 6, 2);
    t.startRun(init(1), ANCHOR);
    segment(t, 0, 3);
    segment(t, 3 * PART_TICKS, 2); // open segment 1
    t.startRun(init(2), ANCHOR + 60_000);
    RenditionSnapshot between = t.snapshot();
    assertEquals(2, between.segments().size());
    assertTrue(between.last().complete(), "startRun must close the open segment");
    assertEquals(init(2).id(), between.currentInit().id());

    segment(t, 0, 2); // the new run starts at media time 0 again
    RenditionSnapshot s = t.snapshot();
    assertEquals(List.of(0L, 1L, 2L), s.segments().stream().map(TimelineSegment::msn).toList());
    assertEquals(
        List.of(false, false, true),
        s.segments().stream().map(TimelineSegment::discontinuity).toList());
    assertEquals(List.of(1, 1, 2), s.segments().stream().map(TimelineSegment::initId).toList());
    assertEquals(Set.of(1, 2), s.inits().keySet());
    assertEquals(5, s.segment(2).parts().get(0).sequence(), "part sequence continues across runs");

    segment(t, 2 * PART_TICKS, 2);
    assertFalse(
        t.snapshot().segment(3).discontinuity(),
        "only the first segment of a run is a discontinuity");
  }

  @Test
  void firstRunIsNoDiscontinuity() {
    RenditionTimeline t = new RenditionTimeline(SPEC, 6, 2);
    t.startRun(init(1), ANCHOR);
    segment(t, 0, 1);
    assertFalse(t.snapshot().segment(0).discontinuity());
  }

  @Test
  void windowKeepsWindowSegmentsCompleteAndRetainsMore() {
    RenditionTimeline t = new RenditionTimeline(SPEC, 6, 2);
    t.startRun(init(1), ANCHOR);
    long time = 0;
    for (int i = 0; i < 12; i++) {
      time = segment(t, time, 2);
    }
    // 11 complete (0..10) + open 11: 6 in the window, 2 retained, 3 dropped
    RenditionSnapshot s = t.snapshot();
    assertEquals(
        List.of(3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L),
        s.segments().stream().map(TimelineSegment::msn).toList());
    assertEquals(2, s.windowStart());
    assertEquals(
        List.of(5L, 6L, 7L, 8L, 9L, 10L, 11L),
        s.window().stream().map(TimelineSegment::msn).toList());
    assertEquals(6, s.window().stream().filter(TimelineSegment::complete).count());
    assertNull(s.segment(2), "dropped");
    assertEquals(3, s.segment(3).msn(), "retained after leaving the window");
    assertEquals(11, s.segment(11).msn());
    assertNull(s.segment(12));
  }

  @Test
  void windowBeforeItFillsStartsAtFirstSegment() {
    RenditionTimeline t = new RenditionTimeline(SPEC, 6, 2);
    t.startRun(init(1), ANCHOR);
    long time = 0;
    for (int i = 0; i < 4; i++) {
      time = segment(t, time, 2);
    }
    RenditionSnapshot s = t.snapshot();
    assertEquals(0, s.windowStart());
    assertEquals(4, s.window().size());
  }

  @Test
  void discontinuitySequenceCountsDiscontinuitiesThatLeftTheWindow() {
    RenditionTimeline t = new RenditionTimeline(SPEC, 6, 2);
    t.startRun(init(1), ANCHOR);
    segment(t, 0, 2); // 0
    t.startRun(init(2), ANCHOR);
    segment(t, 0, 2); // 1: discontinuity
    segment(t, 2 * PART_TICKS, 2); // 2
    t.startRun(init(3), ANCHOR);
    segment(t, 0, 2); // 3: discontinuity
    segment(t, 2 * PART_TICKS, 2); // 4
    t.startRun(init(4), ANCHOR);
    long time = 0;
    for (int msn = 5; msn <= 10; msn++) { // 5: discontinuity, 10 stays open
      time = segment(t, time, 2);
    }
    RenditionSnapshot s = t.snapshot();
    assertEquals(
        List.of(2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L),
        s.segments().stream().map(TimelineSegment::msn).toList());
    assertEquals(4, s.window().get(0).msn());
    // msn 1 dropped + msn 3 retained outside the window; msn 5 is inside the window and does not
    // count
    assertEquals(2, s.discontinuitySequence());
    assertTrue(s.segment(5).discontinuity());
    // init 1 was only used by the dropped segment 0
    assertEquals(Set.of(2, 3, 4), s.inits().keySet());

    segment(t, time, 2); // 10 complete, 11 open: window 5..11, retained 3..4, dropped 0..2
    RenditionSnapshot later = t.snapshot();
    assertEquals(5, later.window().get(0).msn());
    assertEquals(2, later.discontinuitySequence());
    assertEquals(Set.of(3, 4), later.inits().keySet());

    segment(t, time + 2 * PART_TICKS, 2); // window 6..12: msn 5's discontinuity left the window
    assertEquals(3, t.snapshot().discontinuitySequence());
  }

  @Test
  void partLookup() {
    RenditionTimeline t = new RenditionTimeline(SPEC, 6, 0);
    t.startRun(init(1), ANCHOR);
    long time = 0;
    for (int i = 0; i < 9; i++) {
      time = segment(t, time, 3);
    }
    // 8 complete (0..7) + open 8 with 3 parts; window 6 + 0 retained keeps 2..7; parts 6..26
    RenditionSnapshot s = t.snapshot();
    assertNull(s.part(0), "dropped with its segment");
    assertNull(s.part(5));
    for (long seq = 6; seq <= 26; seq++) {
      TimelinePart p = s.part(seq);
      assertEquals(seq, p.sequence());
      assertEquals(seq / 3, p.msn());
      assertEquals(seq % 3, p.index());
    }
    assertNull(s.part(27), "the preload-hinted part does not exist yet");
    assertEquals(27, s.nextPartSequence());
    assertNull(s.part(-1));
  }

  @Test
  void segmentLookupMisses() {
    RenditionTimeline t = new RenditionTimeline(SPEC, 6, 2);
    t.startRun(init(1), ANCHOR);
    segment(t, 0, 2);
    RenditionSnapshot s = t.snapshot();
    assertEquals(0, s.segment(0).msn());
    assertNull(s.segment(1));
    assertNull(s.segment(-1));
  }

  @Test
  void programDateTimeIsAnchorPlusStartTime() {
    RenditionTimeline t = new RenditionTimeline(SPEC, 6, 2);
    t.startRun(init(1), ANCHOR);
    segment(t, 180_000, 2); // starts at 2 s
    segment(t, 180_000 + 2 * PART_TICKS, 2); // 2.4 s
    t.addPart(
        Bytes.wrap(new byte[1]),
        225_045,
        PART_TICKS,
        true,
        true,
        0); // 2.5005 s -> rounded to 2501 ms
    RenditionSnapshot s = t.snapshot();
    assertEquals(Instant.ofEpochMilli(ANCHOR + 2_000), s.segment(0).programDateTime());
    assertEquals(Instant.ofEpochMilli(ANCHOR + 2_400), s.segment(1).programDateTime());
    assertEquals(Instant.ofEpochMilli(ANCHOR + 2_501), s.segment(2).programDateTime());

    t.startRun(init(2), ANCHOR + 10_000);
    segment(t, 0, 1);
    assertEquals(
        Instant.ofEpochMilli(ANCHOR + 10_000),
        t.snapshot().segment(3).programDateTime(),
        "a new run uses its own anchor");
  }

  @Test
  void programDateTimeUsesInitTimescale() {
    RenditionTimeline t =
        new RenditionTimeline(
            new RenditionSpec("audio", RenditionKind.AUDIO, 0, 140_800, 140_800, 0), 6, 2);
    t.startRun(new InitSection(1, Buffer.buffer(), "mp4a.40.2", 0, 0, 48_000, 2), ANCHOR);
    t.addPart(Bytes.wrap(new byte[1]), 48_000, 9_600, true, true, 0);
    RenditionSnapshot s = t.snapshot();
    assertEquals(Instant.ofEpochMilli(ANCHOR + 1_000), s.segment(0).programDateTime());
    assertEquals(0.2, s.segment(0).parts().get(0).duration(), 1e-12);
  }

  @Test
  void endCompletesOpenSegmentAndSetsEnded() {
    RenditionTimeline t = new RenditionTimeline(SPEC, 6, 2);
    t.startRun(init(1), ANCHOR);
    segment(t, 0, 3);
    segment(t, 3 * PART_TICKS, 2);
    assertFalse(t.ended());
    assertFalse(t.snapshot().ended());
    t.end();
    assertTrue(t.ended());
    RenditionSnapshot s = t.snapshot();
    assertTrue(s.ended());
    assertEquals(2, s.segments().size());
    assertTrue(s.segments().stream().allMatch(TimelineSegment::complete));
    assertEquals(2, s.last().parts().size());
    assertEquals(5, s.nextPartSequence());
  }

  @Test
  void snapshotIsImmutableAgainstLaterParts() {
    RenditionTimeline t = new RenditionTimeline(SPEC, 6, 2);
    t.startRun(init(1), ANCHOR);
    segment(t, 0, 2);
    RenditionSnapshot before = t.snapshot();
    segment(t, 2 * PART_TICKS, 2);
    assertEquals(1, before.segments().size());
    assertEquals(2, before.last().parts().size());
    assertFalse(before.last().complete());
  }
}
