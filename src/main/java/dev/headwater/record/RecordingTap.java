package dev.headwater.record;

import dev.headwater.timeline.InitSection;
import dev.headwater.timeline.RenditionKind;
import dev.headwater.timeline.RenditionSnapshot;
import dev.headwater.timeline.RenditionSpec;
import dev.headwater.timeline.StreamSnapshot;
import dev.headwater.timeline.TimelinePart;
import dev.headwater.timeline.TimelineSegment;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a stream's owner hands its snapshots to the recorder, on the owner's context. It finds each
 * segment group (segment MSN of every rendition) as soon as all its segments are complete and
 * queues it; the group holds the timeline's shared buffers, not copies.
 *
 * <p>The renditions recorded are those of the first group. A ladder that changes under a running
 * session (a smaller source after a reconnect drops a rung) ends the recording there.
 */
public final class RecordingTap {
  private static final Logger LOG = LoggerFactory.getLogger(RecordingTap.class);

  private final Recorder recorder;
  private final LiveRecording recording;
  private List<String> renditions;
  private long nextMsn;
  private boolean ended;

  /** Groups were lost since the last one queued: the next one is a discontinuity. */
  private boolean gap;

  RecordingTap(Recorder recorder, LiveRecording recording) {
    this.recorder = recorder;
    this.recording = recording;
  }

  /** The owner published a snapshot. */
  public void observe(StreamSnapshot s) {
    if (ended) {
      return;
    }
    if (renditions == null && !start(s)) {
      return;
    }
    while (true) {
      List<GroupJob.Item> items = new ArrayList<>(renditions.size());
      boolean lost = false;
      for (String name : renditions) {
        RenditionSnapshot r = s.rendition(name);
        if (r == null) {
          stop("rendition " + name + " left the ladder");
          return;
        }
        TimelineSegment seg = r.segment(nextMsn);
        if (seg == null) {
          if (!r.isEmpty() && r.segments().get(0).msn() > nextMsn) {
            lost = true;
            continue;
          }
          if (r.ended() && s.ended() && (r.last() == null || r.last().msn() < nextMsn)) {
            // The stream is over and this rendition has no more segments; another may have one
            // more (audio can end a run a fraction of a segment after video).
            continue;
          }
          if (r.ended() && !s.ended()) {
            stop("rendition " + name + " left the ladder");
          }
          return;
        }
        if (!seg.complete()) {
          return;
        }
        items.add(new GroupJob.Item(r.spec(), seg, r.inits().get(seg.initId())));
      }
      if (items.isEmpty() && !lost) {
        return; // every rendition's last segment is queued
      }
      if (lost) {
        // Left the timeline before a group could be formed: only when the owner's snapshots
        // stopped reaching us for a whole window.
        gap = true;
      } else {
        gap = !recorder.offerGroup(new GroupJob(recorder, recording, nextMsn, items, gap));
      }
      nextMsn++;
    }
  }

  /** The stream ended and its last snapshot was observed: the recording gets its index. */
  public void end() {
    if (ended) {
      return;
    }
    ended = true;
    recorder.offerControl(new EndJob(recorder, recording));
  }

  private boolean start(StreamSnapshot s) {
    List<String> names = new ArrayList<>();
    long first = Long.MIN_VALUE;
    for (RenditionSnapshot r : s.renditions()) {
      if (r.ended() && !s.ended()) {
        continue;
      }
      if (r.isEmpty()) {
        return false;
      }
      names.add(r.name());
      first = Math.max(first, r.segments().get(0).msn());
    }
    if (names.isEmpty()) {
      return false;
    }
    renditions = names;
    nextMsn = first;
    return true;
  }

  private void stop(String why) {
    LOG.warn("Recording {}: {}; the recording ends at segment {}", recording, why, nextMsn);
    end();
  }

  /** Stores one segment group: inits not yet stored, every rendition's segment, then the entry. */
  static final class GroupJob implements Recorder.Job {
    record Item(RenditionSpec spec, TimelineSegment segment, InitSection init) {
      String rendition() {
        return spec.name();
      }
    }

    private final Recorder recorder;
    private final LiveRecording recording;
    private final long msn;
    private final List<Item> items;
    private final boolean discontinuity;
    private final boolean afterGap;

    /** {@code afterGap}: groups before this one were lost (a discontinuity in the recording). */
    GroupJob(
        Recorder recorder, LiveRecording recording, long msn, List<Item> items, boolean afterGap) {
      this.recorder = recorder;
      this.recording = recording;
      this.msn = msn;
      this.items = items;
      this.afterGap = afterGap;
      boolean d = afterGap;
      for (Item i : items) {
        d |= i.segment().discontinuity();
      }
      this.discontinuity = d;
    }

    @Override
    public boolean group() {
      return true;
    }

    @Override
    public String describe() {
      return "segment group " + msn + " of " + recording;
    }

    @Override
    public void run() throws IOException {
      long t0 = System.nanoTime();
      ObjectStore store = recorder.store();
      String name = recording.name;
      String session = recording.session;
      if (recording.current == null) {
        Recording header =
            new Recording(name, session, recording.startedAt, renditions(), List.of(), false);
        store.put(
            RecordingKeys.recording(name, session),
            RecordingJson.bytes(RecordingJson.header(header)));
        recording.current = header;
      }
      Map<String, RecordedSegment> segments = new LinkedHashMap<>();
      long written = 0;
      for (Item i : items) {
        String initKey = i.rendition() + "/" + i.init().id();
        if (!recording.storedInits.contains(initKey)) {
          store.put(
              RecordingKeys.init(name, session, i.rendition(), i.init().id()),
              i.init().bytes().getBytes());
          recording.storedInits.add(initKey);
        }
        byte[] bytes = bytesOf(i.segment());
        store.put(RecordingKeys.segment(name, session, i.rendition(), msn), bytes);
        written += bytes.length;
        segments.put(
            i.rendition(),
            new RecordedSegment(
                i.init().id(),
                i.segment().duration(),
                i.segment().durationTicks(),
                i.segment().startTicks(),
                bytes.length,
                i.segment().discontinuity() || afterGap,
                programDateTime(i)));
      }
      RecordingEntry entry =
          new RecordingEntry(msn, discontinuity, programDateTime(items.get(0)), segments);
      store.put(
          RecordingKeys.entry(name, session, msn), RecordingJson.bytes(RecordingJson.entry(entry)));
      recording.current = recording.current.with(entry);
      recorder.catalogue().put(recording.current);
      recorder.countWritten(written);
      recorder
          .groupWrite()
          .record(System.nanoTime() - t0, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    private List<RecordedRendition> renditions() {
      List<RecordedRendition> out = new ArrayList<>();
      for (Item i : items) {
        RenditionSpec spec = i.spec();
        InitSection init = i.init();
        out.add(
            new RecordedRendition(
                spec.name(),
                spec.kind() == RenditionKind.AUDIO,
                spec.peakBandwidth(),
                spec.averageBandwidth(),
                spec.frameRate(),
                init.codec(),
                init.width(),
                init.height(),
                init.timescale(),
                init.channels()));
      }
      return out;
    }

    private static Instant programDateTime(Item i) {
      Instant pdt = i.segment().programDateTime();
      return pdt != null ? pdt : Instant.ofEpochMilli(i.segment().anchorMillis());
    }

    private static byte[] bytesOf(TimelineSegment segment) {
      byte[] out = new byte[Math.toIntExact(segment.byteLength())];
      int at = 0;
      for (TimelinePart p : segment.parts()) {
        p.bytes().getBytes(out, at);
        at += p.bytes().length();
      }
      return out;
    }
  }

  /** Writes the index of a finished recording and forgets its entries. */
  static final class EndJob implements Recorder.Job {
    private final Recorder recorder;
    private final LiveRecording recording;

    EndJob(Recorder recorder, LiveRecording recording) {
      this.recorder = recorder;
      this.recording = recording;
    }

    @Override
    public String describe() {
      return "the index of " + recording;
    }

    @Override
    public void run() throws IOException {
      ObjectStore store = recorder.store();
      String base = RecordingKeys.base(recording.name, recording.session);
      Recording r = recording.current;
      if (r == null || r.entries().isEmpty()) {
        for (ObjectStore.StoredObject o : store.list(base)) {
          store.delete(o.key());
        }
        return;
      }
      Recording done = r.end();
      store.put(
          RecordingKeys.index(r.name(), r.session()),
          RecordingJson.bytes(RecordingJson.index(done)));
      recorder.catalogue().put(done);
      for (ObjectStore.StoredObject o : store.list(base + RecordingKeys.ENTRIES)) {
        store.delete(o.key());
      }
      LOG.info(
          "Recorded {}: {} s in {} segment groups, {} MB",
          recording,
          Math.round(done.duration()),
          done.entries().size(),
          done.size() / (1024 * 1024));
    }
  }
}
