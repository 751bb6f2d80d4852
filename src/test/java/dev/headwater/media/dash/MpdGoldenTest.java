package dev.headwater.media.dash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The writer's output for a live MPD with two Periods (an encoder restart) and for the static MPD
 * of an ended stream, against files in src/test/resources/golden/dash. Regenerate on purpose with
 * {@code -Dtest=MpdGoldenTest -Dgolden.update=true} and review the diff.
 */
class MpdGoldenTest {
  static final Path GOLDEN = Path.of("src", "test", "resources", "golden", "dash");
  private static final Instant AST = Instant.parse("2026-01-02T03:04:05.678Z");
  private static final UtcTiming CLOCK = new UtcTiming(UtcTiming.HTTP_ISO, "/time");

  static Mpd live() {
    return new Mpd(
        true,
        List.of(Mpd.PROFILE_LIVE, Mpd.PROFILE_CMAF),
        AST,
        AST.plusMillis(20_500),
        null,
        2_000L,
        1_000,
        60_000L,
        3_000L,
        2_000L,
        new ServiceDescription(0, 0, 3_000, null, null, 0.96, 1.04),
        List.of(
            period("run1", 1_000, null, 1, 0, 3L, true),
            period("run2", 12_250, null, 2, 4, null, true)),
        List.of(CLOCK));
  }

  static Mpd ended() {
    return new Mpd(
        false,
        List.of(Mpd.PROFILE_LIVE, Mpd.PROFILE_CMAF),
        null,
        AST.plusMillis(40_000),
        14_600L,
        null,
        1_000,
        null,
        null,
        null,
        null,
        List.of(
            period("run1", 0, 8_000L, 1, 0, null, false),
            period("run2", 8_000, 6_600L, 2, 4, null, false)),
        List.of());
  }

  private static DashPeriod period(
      String id,
      long start,
      Long duration,
      int run,
      long startNumber,
      Long endNumber,
      boolean live) {
    DashSegmentTemplate video =
        new DashSegmentTemplate(
            15_360,
            30_720,
            startNumber,
            endNumber,
            0,
            "$RepresentationID$/s$Number$.m4s",
            "$RepresentationID$/init-" + run + ".mp4",
            live ? 1.966 : null,
            live ? Boolean.FALSE : null);
    DashSegmentTemplate audio =
        new DashSegmentTemplate(
            48_000,
            96_000,
            startNumber,
            endNumber,
            0,
            "$RepresentationID$/s$Number$.m4s",
            "$RepresentationID$/init-" + run + ".mp4",
            live ? 1.978 : null,
            live ? Boolean.FALSE : null);
    ProducerReferenceTime prt =
        live
            ? new ProducerReferenceTime(0, true, "encoder", AST.plusMillis(start), 0, CLOCK)
            : null;
    return new DashPeriod(
        id,
        start,
        duration,
        List.of(
            new DashAdaptationSet(
                0,
                "video",
                "video/mp4",
                null,
                0,
                prt,
                video,
                List.of(
                    new DashRepresentation("360p", 770_000, "avc1.64001e", 640, 360, "30", 0, null),
                    new DashRepresentation(
                        "240p", 385_000, "avc1.640015", 426, 240, "30000/1001", 0, null))),
            new DashAdaptationSet(
                1,
                "audio",
                "audio/mp4",
                "en",
                2,
                prt,
                null,
                List.of(
                    new DashRepresentation(
                        "audio", 140_800, "mp4a.40.2", 0, 0, null, 48_000, audio)))));
  }

  @Test
  void liveWithTwoPeriods() throws IOException {
    assertGolden("live-two-periods.mpd", MpdWriter.write(live()));
  }

  @Test
  void staticAfterTheEnd() throws IOException {
    assertGolden("ended-static.mpd", MpdWriter.write(ended()));
  }

  @Test
  void durationsAndNumbersAreWrittenOneWay() {
    assertEquals("PT0S", DashFormat.duration(0));
    assertEquals("PT2S", DashFormat.duration(2_000));
    assertEquals("PT0.033S", DashFormat.duration(33));
    assertEquals("PT95.5S", DashFormat.duration(95_500));
    assertEquals("1.966", DashFormat.decimal(1.966));
    assertEquals("1", DashFormat.decimal(1.0));
    assertEquals("2026-01-02T03:04:05.678Z", DashFormat.dateTime(AST));
  }

  @Test
  void rejectsWhatAPlayerCouldNotUse() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new Mpd(
                true,
                List.of(Mpd.PROFILE_LIVE),
                null,
                null,
                null,
                2_000L,
                1_000,
                null,
                null,
                null,
                null,
                live().periods(),
                List.of()));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new DashSegmentTemplate(
                90_000, 180_000, 0, null, 0, "$RepresentationID$/s.m4s", "i.mp4", null, null));
    assertThrows(
        IllegalArgumentException.class,
        () -> new DashRepresentation("a b", 1, "mp4a.40.2", 0, 0, null, 0, null));
    // §5.3.9.2: @duration or a SegmentTimeline, never both; a timeline lists at least one S.
    List<DashTimelineEntry> timeline = List.of(new DashTimelineEntry(0L, 180_000, 2));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new DashSegmentTemplate(
                90_000, 180_000, 0, null, 0, "s$Number$.m4s", "i.mp4", null, null, timeline));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new DashSegmentTemplate(
                90_000, 0, 0, null, 0, "s$Number$.m4s", "i.mp4", null, null, List.of()));
    assertThrows(IllegalArgumentException.class, () -> new DashTimelineEntry(0L, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new DashTimelineEntry(null, 1, -1));
  }

  @Test
  void escapesAttributeText() {
    Mpd m = live();
    String text =
        MpdWriter.write(
            new Mpd(
                true,
                m.profiles(),
                m.availabilityStartTime(),
                null,
                null,
                2_000L,
                1_000,
                null,
                null,
                null,
                null,
                m.periods(),
                List.of(new UtcTiming(UtcTiming.HTTP_ISO, "/time?a=1&b=\"2\""))));
    assertTrue(text.contains("value=\"/time?a=1&amp;b=&quot;2&quot;\""), text);
  }

  static void assertGolden(String name, String actual) throws IOException {
    Path file = GOLDEN.resolve(name);
    if (Boolean.getBoolean("golden.update")) {
      Files.createDirectories(GOLDEN);
      Files.writeString(file, actual, StandardCharsets.UTF_8);
      return;
    }
    assertTrue(
        Files.exists(file), "missing " + file + "; run with -Dgolden.update=true and review it");
    assertEquals(Files.readString(file, StandardCharsets.UTF_8), actual, name);
  }
}
