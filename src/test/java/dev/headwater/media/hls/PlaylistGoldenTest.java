package dev.headwater.media.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Compares rendered playlists byte for byte with the reviewed files in {@code
 * src/test/resources/golden/hls/}. Inputs are fixed (PDTs are handed in), so output is
 * deterministic.
 *
 * <p>After an intended change, regenerate the files and review the diff: {@code mvn -B -o test
 * -Dtest=PlaylistGoldenTest -Dgolden.update=true}.
 */
class PlaylistGoldenTest {

  private static final Path GOLDEN = Path.of("src", "test", "resources", "golden", "hls");

  @Test
  void writesLivePlaylistWithPartsHintAndRenditionReports() throws IOException {
    assertGolden("live.m3u8", MediaPlaylistWriter.write(Fixtures.live(100, 3, 2)));
  }

  @Test
  void writesDeltaUpdateOfLongWindowWithSkipAndRepeatedMap() throws IOException {
    MediaPlaylist full = Fixtures.live(60, 40, 2);
    MediaPlaylist delta = DeltaUpdate.apply(full, full.serverControl().canSkipUntil());
    assertGolden("live-delta.m3u8", MediaPlaylistWriter.write(delta));
  }

  @Test
  void writesEndedPlaylistWithoutHintAndWithOldPartsTrimmed() throws IOException {
    MediaPlaylist live = Fixtures.live(100, 5, 0);
    MediaPlaylist ended =
        new MediaPlaylist(
            live.targetDuration(),
            live.partTarget(),
            live.serverControl(),
            live.mediaSequence(),
            0,
            live.segments(),
            live.preloadHint(),
            live.renditionReports(),
            true,
            0);
    assertGolden("ended.m3u8", MediaPlaylistWriter.write(ended));
  }

  @Test
  void writesDiscontinuityWithNewMapBeforeTheFirstPartOfItsParent() throws IOException {
    List<HlsSegment> segments = new ArrayList<>(Fixtures.window(200, 3, 1));
    HlsSegment restarted = segments.get(1);
    // Encoder restart: new init section, new timeline, a PDT that jumps.
    segments.set(
        1,
        new HlsSegment(
            restarted.msn(),
            restarted.uri(),
            restarted.duration(),
            true,
            restarted.parts(),
            true,
            "init-2.mp4",
            Fixtures.START.plusSeconds(30),
            false));
    segments.set(
        2,
        new HlsSegment(
            202,
            "seg202.m4s",
            2.0,
            true,
            Fixtures.parts(202, 4),
            false,
            null,
            Fixtures.START.plusSeconds(32),
            false));
    segments.set(
        3,
        new HlsSegment(
            203,
            null,
            Double.NaN,
            false,
            Fixtures.parts(203, 1),
            false,
            null,
            Fixtures.START.plusSeconds(34),
            false));
    MediaPlaylist playlist =
        new MediaPlaylist(
            2,
            0.5,
            Fixtures.LL_CONTROL,
            200,
            3,
            segments,
            PreloadHint.part("seg203.1.m4s"),
            List.of(),
            false,
            0);
    assertGolden("discontinuity.m3u8", MediaPlaylistWriter.write(playlist));
  }

  @Test
  void writesMultivariantPlaylistWithThreeVariantsAndOneAudioRendition() throws IOException {
    MultivariantPlaylist playlist =
        new MultivariantPlaylist(
            List.of(
                new Variant(
                    "360p/index.m3u8",
                    1_000_000,
                    900_000,
                    "avc1.4D401E,mp4a.40.2",
                    640,
                    360,
                    30,
                    "aud"),
                new Variant(
                    "720p/index.m3u8",
                    3_000_000,
                    2_700_000,
                    "avc1.64001F,mp4a.40.2",
                    1280,
                    720,
                    30,
                    "aud"),
                new Variant(
                    "1080p/index.m3u8",
                    6_000_000,
                    5_400_000,
                    "avc1.640028,mp4a.40.2",
                    1920,
                    1080,
                    30,
                    "aud")),
            List.of(new AudioRendition("aud", "English", "audio/index.m3u8", true, "en", 2)),
            true);
    assertGolden("multivariant.m3u8", MultivariantPlaylistWriter.write(playlist));
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
