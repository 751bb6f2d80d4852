package dev.headwater.encode;

import dev.headwater.config.HeadwaterConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Builds the FFmpeg argument list for one encoder run: FLV on stdin, one fragmented-MP4 output per
 * rendition POSTed to the segment watcher, progress on stdout. An argument list, never a shell
 * string.
 *
 * <p>Latency choices: x264 {@code zerolatency} (no lookahead, no B-frames, sliced threads); a
 * fragment per frame ({@code frag_every_frame}) flushed at once ({@code -flush_packets 1}) so bytes
 * leave FFmpeg as soon as a frame is encoded and the watcher groups them into parts; keyframes
 * forced on the segment grid ({@code expr:gte(t,n_forced*T)}) so every rendition cuts at the same
 * instants; a fixed output frame rate so a part is a whole number of frames.
 */
public final class FfmpegCommand {
  private FfmpegCommand() {}

  public static List<String> build(
      String ffmpeg, HeadwaterConfig config, LadderPlan plan, String intakeBase) {
    HeadwaterConfig.Ffmpeg f = config.ffmpeg();
    double segment = config.hls().segmentTargetSeconds();
    double keyframes = keyframeInterval(config);
    int gop = (int) Math.round(f.frameRate() * keyframes);
    List<String> a = new ArrayList<>();
    a.add(ffmpeg);
    a.addAll(List.of("-hide_banner", "-nostdin", "-loglevel", "warning"));
    a.addAll(List.of("-progress", "pipe:1", "-stats_period", "0.5"));
    // Input: the publisher's FLV on stdin. Small probe so the first fragment is not held back.
    // Not -fflags +nobuffer: it discards the packets read while probing, the first second of every
    // run (measured: 870 of 900 frames encoded).
    a.addAll(List.of("-probesize", "65536", "-analyzeduration", "500000"));
    a.addAll(List.of("-f", "flv", "-i", "pipe:0"));

    if (plan.passthrough()) {
      a.addAll(List.of("-map", "0:v:0", "-c:v", "copy", "-video_track_timescale", "90000"));
      fragmentedOutput(a, intakeBase + LadderPlan.SOURCE_NAME);
      if (plan.audio()) {
        a.addAll(List.of("-map", "0:a:0", "-c:a", "copy"));
        fragmentedOutput(a, intakeBase + LadderPlan.AUDIO_NAME);
      }
      return a;
    }
    StringBuilder graph = new StringBuilder();
    graph.append("[0:v]fps=").append(f.frameRate()).append(",split=").append(plan.video().size());
    for (int i = 0; i < plan.video().size(); i++) {
      graph.append("[s").append(i).append(']');
    }
    for (int i = 0; i < plan.video().size(); i++) {
      LadderPlan.Rung r = plan.video().get(i);
      graph
          .append(";[s")
          .append(i)
          .append("]scale=-2:")
          .append(r.height())
          .append(",format=yuv420p[v")
          .append(i)
          .append(']');
    }
    a.addAll(List.of("-filter_complex", graph.toString()));

    for (int i = 0; i < plan.video().size(); i++) {
      LadderPlan.Rung r = plan.video().get(i);
      a.addAll(
          List.of(
              "-map",
              "[v" + i + "]",
              "-c:v",
              "libx264",
              "-preset",
              f.preset(),
              "-tune",
              "zerolatency"));
      a.addAll(List.of("-profile:v", "high", "-bf", "0", "-sc_threshold", "0"));
      a.addAll(List.of("-g", Integer.toString(gop), "-keyint_min", Integer.toString(gop)));
      a.addAll(List.of("-force_key_frames", "expr:gte(t,n_forced*" + fmt(keyframes) + ")"));
      a.addAll(List.of("-b:v", r.bitrateKbps() + "k", "-maxrate", r.maxBitrateKbps() + "k"));
      // One second of VBV buffer: rate stays close to the target within a segment.
      a.addAll(List.of("-bufsize", r.maxBitrateKbps() + "k"));
      if (f.threads() > 0) {
        a.addAll(List.of("-threads", Integer.toString(f.threads())));
      }
      a.addAll(List.of("-video_track_timescale", "90000"));
      fragmentedOutput(a, intakeBase + r.name());
    }
    if (plan.audio()) {
      HeadwaterConfig.Audio au = plan.audioConfig();
      a.addAll(List.of("-map", "0:a:0", "-c:a", "aac", "-b:a", au.bitrateKbps() + "k"));
      a.addAll(
          List.of(
              "-ar", Integer.toString(au.sampleRate()), "-ac", Integer.toString(au.channels())));
      fragmentedOutput(a, intakeBase + LadderPlan.AUDIO_NAME);
    }
    return a;
  }

  /**
   * Seconds between forced keyframes: {@code ffmpeg.keyframeIntervalSeconds}, or the segment length
   * when 0. The interval divides the segment and is a whole number of parts, so every segment
   * starts with a keyframe and each keyframe starts a part (EXT-X-PART INDEPENDENT=YES): a joining
   * player can start at the last keyframe before its target position instead of a segment start.
   */
  public static double keyframeInterval(HeadwaterConfig config) {
    double k = config.ffmpeg().keyframeIntervalSeconds();
    return k > 0 ? k : config.hls().segmentTargetSeconds();
  }

  private static void fragmentedOutput(List<String> a, String url) {
    a.addAll(
        List.of(
            "-f",
            "mp4",
            "-movflags",
            "+empty_moov+default_base_moof+frag_every_frame+skip_trailer"));
    // A prft box per fragment: FFmpeg's wall clock when it wrote the fragment (write → servable
    // metric).
    a.addAll(List.of("-write_prft", "wallclock"));
    a.addAll(List.of("-flush_packets", "1", "-method", "POST", "-chunked_post", "1", url));
  }

  private static String fmt(double seconds) {
    return String.format(Locale.ROOT, "%.3f", seconds);
  }
}
