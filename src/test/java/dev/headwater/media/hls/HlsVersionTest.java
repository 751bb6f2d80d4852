package dev.headwater.media.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HlsVersionTest {

  @ParameterizedTest(name = "EXTINF={0} MAP={1} SKIP={2} -> {3}")
  @CsvSource({
    "false, false, false, 1",
    "true,  false, false, 3",
    "true,  true,  false, 6",
    "false, true,  false, 6",
    "true,  true,  true,  9",
    "true,  false, true,  9",
  })
  void choosesTheLowestVersionTheTagsNeed(boolean extinf, boolean map, boolean skip, int expected) {
    assertEquals(expected, HlsVersion.forMedia(extinf, map, skip));
  }

  @Test
  void needsVersionSixForFmp4LowLatencyPlaylist() {
    assertEquals(6, HlsVersion.forMedia(Fixtures.live(100, 3, 2)));
  }

  @Test
  void needsVersionNineForDeltaUpdate() {
    assertEquals(9, HlsVersion.forMedia(DeltaUpdate.apply(Fixtures.live(60, 40, 2), 12)));
  }

  @Test
  void needsVersionThreeForTransportStreamSegments() {
    MediaPlaylist ts =
        new MediaPlaylist(
            6,
            0,
            null,
            0,
            0,
            List.of(new HlsSegment(0, "a.ts", 5.005, true, List.of(), false, null, null, false)),
            null,
            null,
            false,
            0);
    assertEquals(3, HlsVersion.forMedia(ts));
  }

  @Test
  void ignoresMapOfOpenSegmentThatIsNotListedYet() {
    MediaPlaylist playlist =
        new MediaPlaylist(
            2,
            0.5,
            Fixtures.LL_CONTROL,
            0,
            0,
            List.of(
                new HlsSegment(
                    0, null, Double.NaN, false, List.of(), false, "init.mp4", null, false)),
            null,
            null,
            false,
            0);
    assertEquals(1, HlsVersion.forMedia(playlist));
  }

  @Test
  void declaresVersionFourForMultivariantWithAudioRenditions() {
    MultivariantPlaylist withAudio =
        new MultivariantPlaylist(
            List.of(new Variant("v.m3u8", 1, 0, "avc1.64001F", 0, 0, 0, "aud")),
            List.of(new AudioRendition("aud", "English", "a.m3u8", true, null, 2)),
            true);
    assertEquals(4, HlsVersion.forMultivariant(withAudio));
  }

  @Test
  void declaresVersionOneForMultivariantWithoutRenditions() {
    MultivariantPlaylist muxed =
        new MultivariantPlaylist(
            List.of(new Variant("v.m3u8", 1, 0, "avc1.64001F,mp4a.40.2", 0, 0, 0, null)),
            List.of(),
            true);
    assertEquals(1, HlsVersion.forMultivariant(muxed));
  }
}
