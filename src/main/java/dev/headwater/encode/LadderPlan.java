package dev.headwater.encode;

import dev.headwater.config.HeadwaterConfig;
import dev.headwater.timeline.RenditionKind;
import dev.headwater.timeline.RenditionSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The renditions to encode for one source: the configured rungs no taller than the source (never
 * upscale), or the smallest rung at the source height when the source is smaller than every rung,
 * plus the audio rendition when the source has audio.
 */
public record LadderPlan(
    List<Rung> video,
    boolean audio,
    HeadwaterConfig.Audio audioConfig,
    int frameRate,
    boolean passthrough) {

  /** A video rung as encoded: the output height is even and never above the source. */
  public record Rung(String name, int height, int bitrateKbps, int maxBitrateKbps) {}

  public static final String AUDIO_NAME = "audio";
  public static final String SOURCE_NAME = "source";

  /**
   * The publisher's own video and audio, repackaged only. Bitrates come from the publisher's
   * metadata ({@code videodatarate}, kbit/s) when it sends them, else a conservative 5 Mbit/s is
   * advertised.
   */
  public static LadderPlan passthrough(
      HeadwaterConfig config, int sourceHeight, boolean hasAudio, int sourceKbps, int sourceFps) {
    int kbps = sourceKbps > 0 ? sourceKbps : 5000;
    Rung source = new Rung(SOURCE_NAME, sourceHeight, kbps, kbps);
    return new LadderPlan(
        List.of(source),
        hasAudio,
        config.audio(),
        sourceFps > 0 ? sourceFps : config.ffmpeg().frameRate(),
        true);
  }

  public static LadderPlan of(HeadwaterConfig config, int sourceHeight, boolean hasAudio) {
    List<Rung> rungs = new ArrayList<>();
    for (HeadwaterConfig.Rung r : config.ladder()) {
      if (sourceHeight <= 0 || r.height() <= sourceHeight) {
        rungs.add(new Rung(r.name(), r.height(), r.videoBitrateKbps(), r.maxBitrateKbps()));
      }
    }
    if (rungs.isEmpty()) {
      HeadwaterConfig.Rung smallest = config.ladder().get(config.ladder().size() - 1);
      int height = Math.max(2, sourceHeight & ~1);
      rungs.add(
          new Rung(
              smallest.name(), height, smallest.videoBitrateKbps(), smallest.maxBitrateKbps()));
    }
    return new LadderPlan(
        List.copyOf(rungs), hasAudio, config.audio(), config.ffmpeg().frameRate(), false);
  }

  /**
   * The renditions as the timeline and playlists know them; bandwidths include the audio rendition.
   */
  public List<RenditionSpec> renditions() {
    long audioBps = audio ? audioConfig.bitrateKbps() * 1000L : 0;
    List<RenditionSpec> specs = new ArrayList<>();
    for (Rung r : video) {
      // Container overhead (moof per frame, mdat headers) is a few percent at these rates.
      long peak = Math.round((r.maxBitrateKbps() * 1000L + audioBps) * 1.10);
      long average = Math.round((r.bitrateKbps() * 1000L + audioBps) * 1.05);
      specs.add(
          new RenditionSpec(r.name(), RenditionKind.VIDEO, r.height(), peak, average, frameRate));
    }
    if (audio) {
      long bps = Math.round(audioBps * 1.10);
      specs.add(new RenditionSpec(AUDIO_NAME, RenditionKind.AUDIO, 0, bps, bps, 0));
    }
    return specs;
  }
}
