package dev.headwater.media.cmaf;

import dev.headwater.media.Bytes;
import dev.headwater.media.isobmff.Fragment;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Synthetic fragments and event collection for cutter tests. */
final class CutterFixtures {

  private CutterFixtures() {}

  /** A fragment whose bytes encode its start time, so misordering shows in byte comparisons. */
  static Fragment fragment(long start, long duration, boolean independent) {
    byte[] bytes = ByteBuffer.allocate(12).putLong(start).putInt((int) duration).array();
    return new Fragment(Bytes.wrap(bytes), 1, start, duration, 1, independent);
  }

  /** {@code count} contiguous fragments of one duration, independent every {@code gop} frames. */
  static List<Fragment> constantRate(long start, long duration, int count, int gop) {
    List<Fragment> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(fragment(start + i * duration, duration, gop > 0 && i % gop == 0));
    }
    return out;
  }

  static List<CutterEvent> run(PartCutter cutter, List<Fragment> fragments) {
    List<CutterEvent> events = new ArrayList<>();
    for (Fragment f : fragments) {
      events.addAll(cutter.push(f));
    }
    events.addAll(cutter.flush());
    return events;
  }

  /** The events that close parts and segments, without the {@link ChunkAdded} of each fragment. */
  static List<CutterEvent> closes(List<CutterEvent> events) {
    List<CutterEvent> out = new ArrayList<>();
    for (CutterEvent e : events) {
      if (!(e instanceof ChunkAdded)) {
        out.add(e);
      }
    }
    return out;
  }

  static List<CmafPart> parts(List<CutterEvent> events) {
    List<CmafPart> out = new ArrayList<>();
    for (CutterEvent e : events) {
      if (e instanceof PartClosed p) {
        out.add(p.part());
      }
    }
    return out;
  }

  static List<SegmentClosed> segments(List<CutterEvent> events) {
    List<SegmentClosed> out = new ArrayList<>();
    for (CutterEvent e : events) {
      if (e instanceof SegmentClosed s) {
        out.add(s);
      }
    }
    return out;
  }
}
