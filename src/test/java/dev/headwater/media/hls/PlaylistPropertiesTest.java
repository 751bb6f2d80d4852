package dev.headwater.media.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * Properties over generated live playlists: TD 1-6 s, PART-TARGET 0.2-1 s, up to 60 segments whose
 * parts are 85-100 % of PART-TARGET, random discontinuities with new maps, random gaps.
 */
class PlaylistPropertiesTest {

  @Property(tries = 300)
  void writerNeverEmitsPartLongerThanPartTarget(@ForAll("livePlaylists") MediaPlaylist playlist) {
    String text = MediaPlaylistWriter.write(playlist);
    BigDecimal partTarget = null;
    for (String line : text.split("\n")) {
      if (line.startsWith("#EXT-X-PART-INF:PART-TARGET=")) {
        partTarget = new BigDecimal(line.substring(line.indexOf('=') + 1));
      } else if (line.startsWith("#EXT-X-PART:")) {
        String duration = line.substring(line.indexOf("DURATION=") + 9).split(",")[0];
        assertTrue(partTarget != null && new BigDecimal(duration).compareTo(partTarget) <= 0, line);
      }
    }
  }

  @Property(tries = 300)
  void partsAreListedOnlyOnTheLastThreeEntriesStartingWithinThreeTargetDurations(
      @ForAll("livePlaylists") MediaPlaylist playlist) {
    MediaPlaylist delta = DeltaUpdate.apply(playlist, playlist.serverControl().canSkipUntil());
    for (MediaPlaylist p : List.of(playlist, delta)) {
      PartWindowTest.assertOnlyLastThreeEntriesHaveParts(MediaPlaylistWriter.write(p));
      List<HlsSegment> segments = PartWindow.trim(p).segments();
      long total = segments.stream().mapToLong(PartWindow::publishedMillis).sum();
      long start = 0;
      for (HlsSegment segment : segments) {
        assertTrue(
            segment.parts().isEmpty() || total - start <= 3000L * p.targetDuration(),
            "parts of " + segment.msn() + " start " + (total - start) + " ms before the end");
        start += PartWindow.publishedMillis(segment);
      }
    }
  }

  @Property(tries = 300)
  void deltaUpdateKeepsTheTailIdenticalToTheFullPlaylist(
      @ForAll("livePlaylists") MediaPlaylist playlist) {
    List<String> full = List.of(MediaPlaylistWriter.write(playlist).split("\n"));
    MediaPlaylist deltaPlaylist =
        DeltaUpdate.apply(playlist, playlist.serverControl().canSkipUntil());
    List<String> delta = List.of(MediaPlaylistWriter.write(deltaPlaylist).split("\n"));
    int skipLine = indexOfPrefix(delta, "#EXT-X-SKIP:");
    if (skipLine < 0) {
      assertEquals(full, delta);
      return;
    }
    // Header: identical apart from the version.
    assertEquals(
        withoutVersion(full.subList(0, skipLine)), withoutVersion(delta.subList(0, skipLine)));
    List<String> tail = new ArrayList<>(delta.subList(skipLine + 1, delta.size()));
    if (!endsWith(full, tail)) {
      // The only addition allowed: the map in force, repeated on the first kept segment.
      int map = tail.get(0).startsWith("#EXT-X-MAP:") ? 0 : 1;
      String repeated = tail.remove(map);
      assertTrue(repeated.startsWith("#EXT-X-MAP:"), repeated);
      assertTrue(endsWith(full, tail), "tail differs from the full playlist");
      List<String> before = full.subList(0, full.size() - tail.size());
      assertEquals(repeated, before.get(lastIndexOfPrefix(before, "#EXT-X-MAP:")));
    }
    int skipped =
        Integer.parseInt(delta.get(skipLine).substring("#EXT-X-SKIP:SKIPPED-SEGMENTS=".length()));
    assertEquals(count(full, "#EXTINF:"), skipped + count(delta, "#EXTINF:"));
  }

  @Property(tries = 500)
  void parkedRequestStaysSatisfiedAsThePlaylistAdvances(
      @ForAll @IntRange(min = 1, max = 8) int partsPerSegment,
      @ForAll @LongRange(min = 0, max = 12) long msn,
      @ForAll @LongRange(min = -1, max = 10) long part,
      @ForAll @IntRange(min = 0, max = 60) int steps) {
    DeliveryDirectives request =
        new DeliveryDirectives(msn, part < 0 ? null : part, SkipRequest.NO);
    long lastMsn = 0;
    long lastPart = 0;
    boolean complete = false;
    boolean wasSatisfied = false;
    for (int i = 0; i < steps; i++) {
      PlaylistPosition position =
          new PlaylistPosition(lastMsn, lastPart, complete, false, 0.5, true);
      boolean satisfied = BlockingDecision.satisfied(request, position);
      assertTrue(satisfied || !wasSatisfied, "satisfied request became unsatisfied at " + position);
      wasSatisfied = satisfied;
      if (complete) {
        lastMsn++;
        lastPart = 0;
        complete = false;
      } else if (lastPart + 1 < partsPerSegment) {
        lastPart++;
      } else {
        complete = true;
      }
    }
  }

  @Provide
  Arbitrary<MediaPlaylist> livePlaylists() {
    return Combinators.combine(
            Arbitraries.integers().between(1, 6),
            Arbitraries.of(0.2, 0.25, 0.333, 0.5, 1.0),
            Arbitraries.integers().between(0, 60),
            Arbitraries.integers().between(0, 4),
            Arbitraries.integers().between(0, 30),
            Arbitraries.longs())
        .as(PlaylistPropertiesTest::generate);
  }

  private static MediaPlaylist generate(
      int td, double ptd, int closed, int openParts, int extraSkip, long seed) {
    Random random = new Random(seed);
    int partsPerSegment = Math.max(1, (int) Math.floor(td / ptd + 1e-9));
    long ptdMillis = Math.round(ptd * 1000);
    List<HlsSegment> segments = new ArrayList<>();
    long firstMsn = 1000;
    for (int i = 0; i <= closed; i++) {
      long msn = firstMsn + i;
      boolean open = i == closed;
      int count = open ? Math.min(openParts, partsPerSegment - 1) : partsPerSegment;
      if (open && count == 0) {
        break;
      }
      List<HlsPart> parts = new ArrayList<>();
      long sumMillis = 0;
      for (int p = 0; p < count; p++) {
        long millis = ptdMillis - random.nextInt((int) (ptdMillis * 15 / 100) + 1);
        sumMillis += millis;
        parts.add(
            new HlsPart(
                "s" + msn + "." + p + ".m4s", millis / 1000.0, p == 0, random.nextInt(50) == 0));
      }
      boolean discontinuity = i > 0 && random.nextInt(15) == 0;
      String map = i == 0 ? "init.mp4" : discontinuity ? "init-" + msn + ".mp4" : null;
      segments.add(
          new HlsSegment(
              msn,
              open ? null : "s" + msn + ".m4s",
              open ? Double.NaN : sumMillis / 1000.0,
              !open,
              parts,
              discontinuity,
              map,
              Fixtures.START.plusMillis(i * 1000L * td),
              random.nextInt(40) == 0));
    }
    ServerControl control = new ServerControl(true, 3 * ptd, 3.0 * td, 6.0 * td + extraSkip);
    long next = firstMsn + closed;
    return new MediaPlaylist(
        td,
        ptd,
        control,
        firstMsn,
        2,
        segments,
        PreloadHint.part("s" + next + "." + openParts + ".m4s"),
        List.of(new RenditionReport("../a/index.m3u8", next, 0)),
        false,
        0);
  }

  private static List<String> withoutVersion(List<String> lines) {
    return lines.stream().filter(l -> !l.startsWith("#EXT-X-VERSION:")).toList();
  }

  private static boolean endsWith(List<String> lines, List<String> tail) {
    return lines.size() >= tail.size()
        && lines.subList(lines.size() - tail.size(), lines.size()).equals(tail);
  }

  private static int indexOfPrefix(List<String> lines, String prefix) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith(prefix)) {
        return i;
      }
    }
    return -1;
  }

  private static int lastIndexOfPrefix(List<String> lines, String prefix) {
    for (int i = lines.size() - 1; i >= 0; i--) {
      if (lines.get(i).startsWith(prefix)) {
        return i;
      }
    }
    return -1;
  }

  private static long count(List<String> lines, String prefix) {
    return lines.stream().filter(l -> l.startsWith(prefix)).count();
  }
}
