package dev.headwater.watch;

import dev.headwater.config.HeadwaterConfig;
import dev.headwater.timeline.LiveStream;
import dev.headwater.timeline.RenditionSnapshot;
import dev.headwater.timeline.RenditionSpec;
import dev.headwater.timeline.StreamSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The renditions of one publish session: the timelines and what cuts FFmpeg's output into them.
 * Owned by the stream owner's context; readers see only the {@link StreamSnapshot}s it publishes.
 */
public final class StreamIntake {
  /** Run anchors kept: enough for runs whose output may still arrive. */
  private static final int ANCHORS_KEPT = 4;

  private final LiveStream stream;
  private final HeadwaterConfig.Hls hls;
  private final Map<String, RenditionIntake> renditions = new LinkedHashMap<>();
  private final Map<Integer, Long> runAnchors = new HashMap<>();
  private List<RenditionSpec> planned = List.of();
  private boolean ended;
  private long version;

  public StreamIntake(LiveStream stream, HeadwaterConfig.Hls hls) {
    this.stream = stream;
    this.hls = hls;
  }

  public LiveStream stream() {
    return stream;
  }

  /**
   * The renditions the encoder produces from now on. Renditions planned before keep their timelines
   * (media sequence numbers continue); one the new plan lacks (a smaller source after a reconnect)
   * is ended, so its playlist gets EXT-X-ENDLIST and players move to another.
   */
  public void plan(List<RenditionSpec> specs) {
    planned = List.copyOf(specs);
    stream.plan(planned);
    for (Map.Entry<String, RenditionIntake> e : renditions.entrySet()) {
      if (specs.stream().noneMatch(s -> s.name().equals(e.getKey()))) {
        e.getValue().end();
      }
    }
  }

  /**
   * Media time 0 of encoder run {@code run} is wall-clock {@code epochMillis}
   * (EXT-X-PROGRAM-DATE-TIME).
   */
  public void anchor(int run, long epochMillis) {
    runAnchors.put(run, epochMillis);
    runAnchors.keySet().removeIf(r -> r <= run - ANCHORS_KEPT);
  }

  /** The intake of a planned rendition, or null for a name the encoder was not asked for. */
  RenditionIntake rendition(String name) {
    RenditionIntake r = renditions.get(name);
    if (r == null || r.timeline().ended()) {
      RenditionSpec spec =
          planned.stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
      if (spec == null || r != null) {
        return null;
      }
      r = new RenditionIntake(stream.name(), spec, hls, stream.meters(), runAnchors::get);
      renditions.put(name, r);
    }
    return r;
  }

  public boolean ended() {
    return ended;
  }

  /**
   * The stream is over: every open part and segment is complete and every playlist gets
   * EXT-X-ENDLIST.
   */
  public void endAll() {
    for (RenditionIntake r : renditions.values()) {
      r.end();
    }
    ended = true;
  }

  /**
   * Swaps in a new snapshot: the planned renditions in ladder order, then any rendition a re-plan
   * dropped (ended, still downloadable).
   */
  public StreamSnapshot publish() {
    List<RenditionSnapshot> snaps = new ArrayList<>();
    for (RenditionSpec spec : planned) {
      RenditionIntake r = renditions.get(spec.name());
      if (r != null) {
        snaps.add(r.timeline().snapshot());
      }
    }
    for (RenditionIntake r : renditions.values()) {
      if (planned.stream().noneMatch(s -> s.name().equals(r.timeline().spec().name()))) {
        snaps.add(r.timeline().snapshot());
      }
    }
    StreamSnapshot s =
        new StreamSnapshot(
            stream.name(), stream.sessionId(), ++version, stream.startedAt(), snaps, ended);
    stream.publish(s);
    return s;
  }
}
