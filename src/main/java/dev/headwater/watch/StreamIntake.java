package dev.headwater.watch;

import dev.headwater.config.HeadwaterConfig;
import dev.headwater.timeline.LiveStream;
import dev.headwater.timeline.RenditionSnapshot;
import dev.headwater.timeline.RenditionSpec;
import dev.headwater.timeline.StreamSnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The renditions of one publish session as the segment watcher holds them; owned by its event loop. */
final class StreamIntake {
  final LiveStream stream;
  private final HeadwaterConfig.Hls hls;
  private final Map<String, RenditionIntake> renditions = new LinkedHashMap<>();
  int openRequests;
  boolean endRequested;
  boolean ended;
  private long version;

  StreamIntake(LiveStream stream, HeadwaterConfig.Hls hls) {
    this.stream = stream;
    this.hls = hls;
  }

  /** The intake of a rendition the encoder was asked for, or null for an unknown name. */
  RenditionIntake rendition(String name) {
    RenditionIntake r = renditions.get(name);
    if (r == null) {
      RenditionSpec spec = stream.rendition(name);
      if (spec == null) {
        return null;
      }
      r = new RenditionIntake(stream, spec, hls);
      renditions.put(name, r);
    }
    return r;
  }

  void endAll() {
    for (RenditionIntake r : renditions.values()) {
      r.end();
    }
    ended = true;
  }

  /** Swaps in a new snapshot of every rendition, in ladder order. */
  StreamSnapshot publish() {
    List<RenditionSnapshot> snaps = new ArrayList<>();
    for (RenditionSpec spec : stream.renditions()) {
      RenditionIntake r = renditions.get(spec.name());
      if (r != null) {
        snaps.add(r.timeline().snapshot());
      }
    }
    StreamSnapshot s = new StreamSnapshot(stream.name(), stream.sessionId(), ++version, stream.startedAt(), snaps, ended);
    stream.publish(s);
    return s;
  }
}
