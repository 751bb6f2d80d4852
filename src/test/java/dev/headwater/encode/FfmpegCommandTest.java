package dev.headwater.encode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headwater.config.HeadwaterConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FfmpegCommandTest {
  private static final String FFMPEG = "/opt/ffmpeg/bin/ffmpeg";
  private static final String BASE = "http://127.0.0.1:18081/intake/SESSION/1/";
  private static final HeadwaterConfig CONFIG = HeadwaterConfig.defaults();

  private static List<String> build(int sourceHeight, boolean audio) {
    return FfmpegCommand.build(FFMPEG, CONFIG, LadderPlan.of(CONFIG, sourceHeight, audio), BASE);
  }

  /**
   * The arguments of one output: from the end of the previous output (or the filter graph) to its
   * URL.
   */
  private static List<String> output(List<String> args, String rendition) {
    int end = args.indexOf(BASE + rendition);
    assertTrue(end > 0, "no output URL for " + rendition + " in " + args);
    int start = end - 1;
    while (start > 0
        && !args.get(start).startsWith(BASE)
        && !args.get(start).equals("-filter_complex")) {
      start--;
    }
    return args.subList(start + 1, end + 1);
  }

  /**
   * Asserts that {@code expected} (option/value groups kept adjacent) occurs in order within {@code
   * actual}.
   */
  private static void assertInOrder(List<String> actual, List<List<String>> expected) {
    int from = 0;
    for (List<String> group : expected) {
      int at = -1;
      for (int i = from; i + group.size() <= actual.size(); i++) {
        if (actual.subList(i, i + group.size()).equals(group)) {
          at = i;
          break;
        }
      }
      assertTrue(at >= 0, "expected " + group + " after index " + from + " in " + actual);
      from = at + group.size();
    }
  }

  @Test
  void firstArgumentIsFfmpegPathAndEveryElementIsOneArgument() {
    List<String> args = build(720, true);
    assertEquals(FFMPEG, args.get(0));
    for (String a : args) {
      assertFalse(a.isEmpty(), "empty argument in " + args);
      assertFalse(
          a.chars().anyMatch(Character::isWhitespace),
          "argument with whitespace (shell string?): '" + a + "'");
    }
    assertFalse(
        args.contains("sh") || args.contains("-c") || args.contains("bash"), args.toString());
  }

  @Test
  void readsFlvFromStdinAndWritesProgressToStdout() {
    List<String> args = build(720, true);
    assertInOrder(
        args,
        List.of(
            List.of("-progress", "pipe:1"),
            List.of("-f", "flv", "-i", "pipe:0"),
            List.of("-filter_complex")));
  }

  @Test
  void filterGraphSplitsIntoThreeScaledOutputs() {
    List<String> args = build(720, true);
    String graph = args.get(args.indexOf("-filter_complex") + 1);
    assertEquals(
        "[0:v]fps=30,split=3[s0][s1][s2]"
            + ";[s0]scale=-2:720,format=yuv420p[v0]"
            + ";[s1]scale=-2:480,format=yuv420p[v1]"
            + ";[s2]scale=-2:360,format=yuv420p[v2]",
        graph);
  }

  @Test
  void oneUrlPerRenditionInLadderOrder() {
    List<String> args = build(720, true);
    List<String> urls = new ArrayList<>();
    for (String a : args) {
      if (a.startsWith("http://")) {
        urls.add(a);
      }
    }
    assertEquals(List.of(BASE + "720p", BASE + "480p", BASE + "360p", BASE + "audio"), urls);
    assertEquals(BASE + "audio", args.get(args.size() - 1));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2})
  void eachVideoOutputHasLowLatencyX264Options(int index) {
    List<String> args = build(720, true);
    LadderPlan.Rung rung = LadderPlan.of(CONFIG, 720, true).video().get(index);
    List<String> out = output(args, rung.name());
    assertInOrder(
        out,
        List.of(
            List.of("-map", "[v" + index + "]"),
            List.of("-c:v", "libx264"),
            List.of("-preset", "veryfast"),
            List.of("-tune", "zerolatency"),
            List.of("-bf", "0"),
            List.of("-g", "60"),
            List.of("-keyint_min", "60"),
            List.of("-force_key_frames", "expr:gte(t,n_forced*2.000)"),
            List.of("-b:v", rung.bitrateKbps() + "k"),
            List.of("-maxrate", rung.maxBitrateKbps() + "k"),
            List.of("-f", "mp4"),
            List.of("-movflags", "+empty_moov+default_base_moof+frag_every_frame+skip_trailer"),
            List.of("-flush_packets", "1"),
            List.of("-method", "POST"),
            List.of(BASE + rung.name())));
    assertFalse(out.contains("-c:a"), "audio options leaked into a video output: " + out);
  }

  @Test
  void audioOutputIsAacWithConfiguredRateAndFragmentedMp4() {
    List<String> out = output(build(720, true), "audio");
    assertInOrder(
        out,
        List.of(
            List.of("-map", "0:a:0"),
            List.of("-c:a", "aac"),
            List.of("-b:a", "128k"),
            List.of("-ar", "48000"),
            List.of("-ac", "2"),
            List.of("-f", "mp4"),
            List.of("-movflags", "+empty_moov+default_base_moof+frag_every_frame+skip_trailer"),
            List.of("-flush_packets", "1"),
            List.of(BASE + "audio")));
    assertFalse(out.contains("-c:v"), out.toString());
  }

  @Test
  void noAudioOutputWithoutAudio() {
    List<String> args = build(720, false);
    assertFalse(args.contains("-c:a"), args.toString());
    assertFalse(args.contains(BASE + "audio"), args.toString());
  }

  @Test
  void smallerSourceGetsFewerOutputsAndSmallerSplit() {
    List<String> args = build(480, true);
    String graph = args.get(args.indexOf("-filter_complex") + 1);
    assertTrue(graph.startsWith("[0:v]fps=30,split=2[s0][s1];"), graph);
    assertFalse(args.contains(BASE + "720p"), args.toString());
    assertTrue(args.contains(BASE + "480p") && args.contains(BASE + "360p"), args.toString());
  }

  @Test
  void keyframeIntervalSetsTheGopAndTheForcedKeyframes() {
    HeadwaterConfig config =
        dev.headwater.config.ConfigLoader.fromJson(
            new io.vertx.core.json.JsonObject()
                .put(
                    "ffmpeg",
                    new io.vertx.core.json.JsonObject().put("keyframeIntervalSeconds", 1.0)),
            java.util.Map.of());
    List<String> args = FfmpegCommand.build(FFMPEG, config, LadderPlan.of(config, 720, true), BASE);
    List<String> out = output(args, "720p");
    assertInOrder(
        out,
        List.of(
            List.of("-g", "30"),
            List.of("-keyint_min", "30"),
            List.of("-force_key_frames", "expr:gte(t,n_forced*1.000)")));
  }
}
