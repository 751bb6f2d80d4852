package dev.headwater.media.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class MultivariantPlaylistTest {

  private static final AudioRendition ENGLISH =
      new AudioRendition("aud", "English", "en.m3u8", true, "en", 2);

  @Test
  void rejectsVariantReferencingUnknownAudioGroup() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new MultivariantPlaylist(
                List.of(new Variant("v.m3u8", 1, 0, "avc1.64001F", 0, 0, 0, "other")),
                List.of(ENGLISH),
                true));
  }

  @Test
  void rejectsTwoDefaultsInOneGroup() {
    AudioRendition german = new AudioRendition("aud", "Deutsch", "de.m3u8", true, "de", 2);
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new MultivariantPlaylist(
                List.of(new Variant("v.m3u8", 1, 0, "avc1.64001F", 0, 0, 0, "aud")),
                List.of(ENGLISH, german),
                true));
  }

  @Test
  void rejectsDuplicateNameInOneGroup() {
    AudioRendition again = new AudioRendition("aud", "English", "en2.m3u8", false, "en", 2);
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new MultivariantPlaylist(
                List.of(new Variant("v.m3u8", 1, 0, "avc1.64001F", 0, 0, 0, "aud")),
                List.of(ENGLISH, again),
                true));
  }

  @Test
  void rejectsEmptyVariantList() {
    assertThrows(
        IllegalArgumentException.class, () -> new MultivariantPlaylist(List.of(), List.of(), true));
  }

  @Test
  void omitsOptionalAttributesOfAudioOnlyVariantAndNonDefaultRendition() {
    MultivariantPlaylist playlist =
        new MultivariantPlaylist(
            List.of(new Variant("audio.m3u8", 130_000, 0, "mp4a.40.2", 0, 0, 0, null)),
            List.of(new AudioRendition("aud", "Commentary", "c.m3u8", false, null, 0)),
            false);
    assertEquals(
        "#EXTM3U\n#EXT-X-VERSION:4\n"
            + "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"aud\",NAME=\"Commentary\",DEFAULT=NO,AUTOSELECT=YES,URI=\"c.m3u8\"\n"
            + "#EXT-X-STREAM-INF:BANDWIDTH=130000,CODECS=\"mp4a.40.2\"\naudio.m3u8\n",
        MultivariantPlaylistWriter.write(playlist));
  }

  @Test
  void writesFractionalFrameRateWithThreeDecimals() {
    MultivariantPlaylist playlist =
        new MultivariantPlaylist(
            List.of(new Variant("v.m3u8", 1, 0, "avc1.64001F", 1280, 720, 30000.0 / 1001, null)),
            List.of(),
            true);
    assertEquals(true, MultivariantPlaylistWriter.write(playlist).contains("FRAME-RATE=29.970\n"));
  }
}
