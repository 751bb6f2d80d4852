package dev.headwater.media.cmaf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.headwater.media.isobmff.Fragment;
import dev.headwater.media.isobmff.TestBytes;
import dev.headwater.media.isobmff.TrackInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The FFmpeg fixtures through the reader and the cutter, as the origin wires them. */
class ReaderToCutterTest {

  @Test
  void video() {
    TestBytes.Collected c =
        TestBytes.readInChunks(
            TestBytes.resource("video-160x90-30fps.mp4"), List.of(1000), 1 << 20);
    assertNull(c.error());
    TrackInfo track = c.init().track();
    PartCutter cutter = new PartCutter(track.timescale(), 0.2, 2.0);
    List<CutterEvent> events = CutterFixtures.run(cutter, c.fragments());
    // 1 s at 30 fps: five parts of six frames; the keyframe at 0.5 s is not on the 2 s grid.
    assertEquals(
        List.of(18_000L, 18_000L, 18_000L, 18_000L, 18_000L),
        CutterFixtures.parts(events).stream().map(CmafPart::duration).toList());
    assertEquals(
        List.of(true, false, false, false, false),
        CutterFixtures.parts(events).stream().map(CmafPart::independent).toList());
    assertEquals(List.of(new SegmentClosed(0, 90_000, 5)), CutterFixtures.segments(events));
  }

  @Test
  void audio() {
    TestBytes.Collected c =
        TestBytes.readInChunks(TestBytes.resource("audio-aac-48k.mp4"), List.of(777), 1 << 20);
    assertNull(c.error());
    PartCutter cutter = new PartCutter(c.init().track().timescale(), 0.2, 2.0);
    List<CutterEvent> events = CutterFixtures.run(cutter, c.fragments());
    // 48 frames: five parts of nine 1024-sample frames, then 1024 + 1024 + 896.
    assertEquals(
        List.of(9_216L, 9_216L, 9_216L, 9_216L, 9_216L, 2_944L),
        CutterFixtures.parts(events).stream().map(CmafPart::duration).toList());
    assertEquals(List.of(new SegmentClosed(0, 49_024, 6)), CutterFixtures.segments(events));
    assertEquals(
        c.fragments().stream().mapToInt(Fragment::size).sum(),
        CutterFixtures.parts(events).stream().mapToInt(CmafPart::size).sum());
  }
}
