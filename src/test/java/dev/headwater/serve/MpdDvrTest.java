package dev.headwater.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.headwater.config.HeadwaterConfig;
import dev.headwater.media.Bytes;
import dev.headwater.media.dash.DashPeriod;
import dev.headwater.media.dash.DashSegmentTemplate;
import dev.headwater.media.dash.Mpd;
import dev.headwater.record.RecordedRendition;
import dev.headwater.record.RecordedSegment;
import dev.headwater.record.Recording;
import dev.headwater.record.RecordingEntry;
import dev.headwater.timeline.InitSection;
import dev.headwater.timeline.RenditionKind;
import dev.headwater.timeline.RenditionSpec;
import dev.headwater.timeline.RenditionTimeline;
import dev.headwater.timeline.StreamSnapshot;
import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The live MPD of a recorded stream reaches back dvr.windowMinutes: an encoder run that left memory
 * gets its Period back from the recording, addressed as it was live.
 */
class MpdDvrTest {
  private static final long STARTED = 1_700_000_000_000L;
  private static final long RUN1 = STARTED + 1_000;
  private static final long RUN2 = STARTED + 10_000;
  private static final RenditionSpec V360 =
      new RenditionSpec("360p", RenditionKind.VIDEO, 360, 1_130_800, 980_400, 30);

  private static InitSection init(int id) {
    return new InitSection(id, Buffer.buffer(new byte[] {1}), "avc1.64001f", 640, 360, 90_000, 0);
  }

  private static void segment(RenditionTimeline t, long start) {
    for (int i = 0; i < 10; i++) {
      t.addPart(Bytes.wrap(new byte[] {(byte) i}), start + i * 18_000, 18_000, i == 0, i == 0, 0);
    }
  }

  private static RecordingEntry entry(long msn, int run, long runAnchor, long k) {
    return new RecordingEntry(
        msn,
        k == 0,
        Instant.ofEpochMilli(runAnchor + 2_000 * k),
        Map.of("360p", new RecordedSegment(run, 2.0, 180_000, k * 180_000, 100, k == 0)));
  }

  @Test
  void aRunThatLeftMemoryComesBackFromTheRecording() {
    // Memory keeps 2 segments: run 1 (MSN 0-2) has left it, run 2 (MSN 3-5) is partly there.
    RenditionTimeline t = new RenditionTimeline(V360, 2, 0);
    t.startRun(init(1), RUN1);
    for (int k = 0; k < 3; k++) {
      segment(t, k * 180_000L);
    }
    t.startRun(init(2), RUN2);
    for (int k = 0; k < 3; k++) {
      segment(t, k * 180_000L);
    }
    t.closeSegment();
    List<RecordingEntry> entries = new ArrayList<>();
    for (int k = 0; k < 3; k++) {
      entries.add(entry(k, 1, RUN1, k));
    }
    for (int k = 0; k < 3; k++) {
      entries.add(entry(3 + k, 2, RUN2, k));
    }
    Recording recording =
        new Recording(
            "demo",
            "S",
            Instant.ofEpochMilli(STARTED),
            List.of(
                new RecordedRendition(
                    "360p", false, 1_130_800, 980_400, 30, "avc1.64001f", 640, 360, 90_000, 0)),
            entries,
            false);
    StreamSnapshot s =
        new StreamSnapshot(
            "demo", "S", 1, Instant.ofEpochMilli(STARTED), List.of(t.snapshot()), false);
    Instant now = Instant.ofEpochMilli(RUN2 + 6_000);
    MpdAssembler assembler = new MpdAssembler(HeadwaterConfig.defaults());

    Mpd live = assembler.mpd(s, "", now);
    assertEquals(List.of("run2"), live.periods().stream().map(DashPeriod::id).toList());
    assertEquals(60_000L, live.timeShiftBufferDepthMillis(), "hls.windowSegments alone");

    Mpd dvr = assembler.mpd(s, "", now, recording);
    assertEquals(3_600_000L, dvr.timeShiftBufferDepthMillis(), "dvr.windowMinutes");
    assertEquals(List.of("run1", "run2"), dvr.periods().stream().map(DashPeriod::id).toList());
    DashPeriod back = dvr.periods().get(0);
    assertEquals(1_000L, back.startMillis(), "the run's anchor on the session's clock");
    DashSegmentTemplate template = back.adaptationSets().get(0).template();
    assertEquals(0L, template.startNumber());
    assertEquals(2L, template.endNumber());
    assertEquals(180_000L, template.duration());
    assertEquals("$RepresentationID$/init-1.mp4", template.initialization());
    assertEquals("$RepresentationID$/s$Number$.m4s", template.media());
    assertNull(template.availabilityTimeOffset(), "its segments are all complete");
    assertEquals(
        dvr.periods().get(1).adaptationSets().get(0).template(),
        live.periods().get(0).adaptationSets().get(0).template(),
        "the run in memory is addressed as before");
  }
}
