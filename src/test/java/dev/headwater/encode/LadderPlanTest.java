package dev.headwater.encode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headwater.config.HeadwaterConfig;
import dev.headwater.timeline.RenditionKind;
import dev.headwater.timeline.RenditionSpec;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LadderPlanTest {
  private static final HeadwaterConfig CONFIG = HeadwaterConfig.defaults();

  private static List<String> names(LadderPlan plan) {
    return plan.video().stream().map(r -> r.name() + "@" + r.height()).toList();
  }

  @ParameterizedTest(name = "source {0}p -> {1}")
  @CsvSource(
      delimiter = ';',
      value = {
        "1080; 720p@720 480p@480 360p@360",
        "720;  720p@720 480p@480 360p@360",
        "719;  480p@480 360p@360",
        "480;  480p@480 360p@360",
        "360;  360p@360",
        "240;  360p@240",
        "241;  360p@240",
        "0;    720p@720 480p@480 360p@360"
      })
  void keepsRungsNoTallerThanSource(int sourceHeight, String expected) {
    assertEquals(
        List.of(expected.trim().split(" ")), names(LadderPlan.of(CONFIG, sourceHeight, true)));
  }

  @Test
  void sourceSmallerThanEveryRungUsesSmallestRungBitrates() {
    LadderPlan.Rung only = LadderPlan.of(CONFIG, 240, true).video().get(0);
    assertEquals(new LadderPlan.Rung("360p", 240, 800, 900), only);
  }

  @Test
  void carriesFrameRateAndAudioConfig() {
    LadderPlan plan = LadderPlan.of(CONFIG, 720, true);
    assertEquals(30, plan.frameRate());
    assertEquals(CONFIG.audio(), plan.audioConfig());
    assertTrue(plan.audio());
  }

  @Test
  void bandwidthsIncludeAudioAndOverhead() {
    List<RenditionSpec> specs = LadderPlan.of(CONFIG, 1080, true).renditions();
    assertEquals(
        List.of(
            // peak = (max video + 128 kbit/s audio) x 1.10, average = (video + audio) x 1.05
            new RenditionSpec("720p", RenditionKind.VIDEO, 720, 3_440_800, 3_074_400, 30),
            new RenditionSpec("480p", RenditionKind.VIDEO, 480, 1_790_800, 1_604_400, 30),
            new RenditionSpec("360p", RenditionKind.VIDEO, 360, 1_130_800, 974_400, 30),
            new RenditionSpec("audio", RenditionKind.AUDIO, 0, 140_800, 140_800, 0)),
        specs);
  }

  @Test
  void noAudioMeansNoAudioRenditionAndBandwidthsWithoutAudio() {
    LadderPlan plan = LadderPlan.of(CONFIG, 720, false);
    assertFalse(plan.audio());
    List<RenditionSpec> specs = plan.renditions();
    assertEquals(
        List.of(
            new RenditionSpec("720p", RenditionKind.VIDEO, 720, 3_300_000, 2_940_000, 30),
            new RenditionSpec("480p", RenditionKind.VIDEO, 480, 1_650_000, 1_470_000, 30),
            new RenditionSpec("360p", RenditionKind.VIDEO, 360, 990_000, 840_000, 30)),
        specs);
  }
}
