package dev.headwater.watch;

import dev.headwater.config.HeadwaterConfig;
import dev.headwater.media.cmaf.ChunkAdded;
import dev.headwater.media.cmaf.CmafPart;
import dev.headwater.media.cmaf.CutterEvent;
import dev.headwater.media.cmaf.PartClosed;
import dev.headwater.media.cmaf.PartCutter;
import dev.headwater.media.cmaf.SegmentClosed;
import dev.headwater.media.isobmff.Fmp4Item;
import dev.headwater.media.isobmff.Fmp4ReadResult;
import dev.headwater.media.isobmff.Fmp4StreamReader;
import dev.headwater.media.isobmff.Fragment;
import dev.headwater.media.isobmff.InitSegment;
import dev.headwater.media.isobmff.ProducerReferenceTime;
import dev.headwater.media.isobmff.TrackInfo;
import dev.headwater.metrics.StreamMeters;
import dev.headwater.timeline.GrowingSegment;
import dev.headwater.timeline.InitSection;
import dev.headwater.timeline.RenditionSpec;
import dev.headwater.timeline.RenditionTimeline;
import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.util.List;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one rendition's fMP4 byte stream into timeline entries: ISO-BMFF reader → part cutter →
 * timeline. One per rendition per session, used only on the stream owner's context. A new encoder
 * run (restart, or a publisher that reconnected) gets a fresh reader and cutter; the timeline
 * carries on with a discontinuity.
 */
final class RenditionIntake {
  private static final Logger LOG = LoggerFactory.getLogger(RenditionIntake.class);

  private final String streamName;
  private final IntFunction<Long> runAnchors;
  private final HeadwaterConfig.Hls hls;
  private final RenditionTimeline timeline;
  private final StreamMeters meters;
  private int run = -1;
  private Fmp4StreamReader reader;
  private PartCutter cutter;
  private long timescale;
  private long anchorMillis;
  private boolean failed;

  /** A chunk joined a segment that a streaming response follows, since the last take. */
  private boolean chunkSignal;

  /** FFmpeg's write time (prft) and end time of the previous and the current fragment. */
  private long previousPrft = -1;

  private long previousEnd = -1;
  private long currentPrft = -1;
  private long currentEnd = -1;

  /**
   * @param runAnchors wall-clock time (epoch ms) of media time 0 of a run, or null if not known
   */
  RenditionIntake(
      String streamName,
      RenditionSpec spec,
      HeadwaterConfig.Hls hls,
      StreamMeters meters,
      IntFunction<Long> runAnchors) {
    this.streamName = streamName;
    this.runAnchors = runAnchors;
    this.hls = hls;
    this.meters = meters;
    this.timeline =
        new RenditionTimeline(spec, hls.windowSegments(), hls.retainedSegmentsAfterRemoval());
  }

  RenditionTimeline timeline() {
    return timeline;
  }

  int run() {
    return run;
  }

  /**
   * A POST of encoder run {@code number} began. Returns false if it is older than the current run.
   */
  boolean beginRun(int number) {
    if (number < run) {
      return false;
    }
    if (number > run) {
      flush();
      run = number;
      reader = new Fmp4StreamReader(hls.maxFmp4BoxBytes());
      cutter = null;
      failed = false;
    }
    return true;
  }

  /**
   * Feeds bytes of the current run; returns true if the timeline changed.
   *
   * <p>One copy: socket chunk → box array. The reader copies the chunk into the array of the box it
   * completes (the splitter's reassembly) and keeps no reference to the chunk; from there the box
   * array is shared by the fragment, the part and the Buffer served. So the chunk is read in place:
   * Vert.x hands request bodies over as heap buffers it copied out of Netty's pooled ones ({@code
   * VertxHandler.safeBuffer}), whose backing array we can read directly. Before byte slices the
   * path made eight copies (chunk.getBytes, box, fragment join, Fragment clone in, part join,
   * CmafPart clone in, clone out, Buffer.buffer).
   */
  boolean push(Buffer chunk) {
    if (failed || reader == null) {
      return false;
    }
    Fmp4ReadResult result = read(chunk);
    boolean changed = false;
    for (Fmp4Item item : result.items()) {
      changed |= apply(item);
    }
    if (result.error().isPresent()) {
      failed = true;
      LOG.error(
          "Stream {} rendition {} run {}: unreadable fMP4 from FFmpeg ({}); ignoring the rest of this run",
          streamName,
          timeline.spec().name(),
          run,
          result.error().get());
    }
    return changed;
  }

  private Fmp4ReadResult read(Buffer chunk) {
    ByteBuf buf = chunk instanceof BufferInternal b ? b.getByteBuf() : null;
    if (buf != null && buf.hasArray()) {
      return reader.push(buf.array(), buf.arrayOffset() + buf.readerIndex(), buf.readableBytes());
    }
    // Not heap-backed (another Buffer implementation or a direct buffer): one extra copy.
    byte[] bytes = chunk.getBytes();
    return reader.push(bytes, 0, bytes.length);
  }

  /**
   * Whether chunks joined a followed segment since the last call (and the timeline itself did not
   * change): the owner then tells the streaming responses, without publishing a snapshot.
   */
  boolean takeChunkSignal() {
    boolean s = chunkSignal;
    chunkSignal = false;
    return s;
  }

  /** The run's byte stream ended: the open part and segment are complete. */
  boolean flush() {
    if (cutter == null) {
      return false;
    }
    boolean changed = applyAll(cutter.flush());
    cutter = null;
    return changed;
  }

  void end() {
    flush();
    timeline.end();
  }

  private boolean apply(Fmp4Item item) {
    if (item instanceof InitSegment init) {
      TrackInfo t = init.track();
      timescale = t.timescale();
      Long anchor = runAnchors.apply(run);
      anchorMillis = anchor != null ? anchor : System.currentTimeMillis();
      timeline.startRun(InitSection.of(run, init), anchorMillis);
      cutter = new PartCutter(t.timescale(), hls.partTargetSeconds(), hls.segmentTargetSeconds());
      return true;
    }
    if (item instanceof Fragment f) {
      if (cutter == null) {
        LOG.warn(
            "Stream {} rendition {}: fragment before init segment, dropped",
            streamName,
            timeline.spec().name());
        return false;
      }
      previousPrft = currentPrft;
      previousEnd = currentEnd;
      currentPrft = ProducerReferenceTime.unixMillis(f.bytes());
      currentEnd = f.baseMediaDecodeTime() + f.duration();
      return applyAll(cutter.push(f));
    }
    return false;
  }

  private boolean applyAll(List<CutterEvent> events) {
    boolean changed = false;
    for (CutterEvent e : events) {
      if (e instanceof ChunkAdded c) {
        Fragment f = c.fragment();
        GrowingSegment g =
            timeline.addChunk(
                f.bytes(), f.baseMediaDecodeTime(), c.startsSegment(), System.nanoTime());
        // A new segment must be seen in a snapshot before anyone can follow it.
        changed |= c.startsSegment();
        chunkSignal |= g.watched();
      } else if (e instanceof SegmentClosed) {
        timeline.closeSegment();
        changed = true;
      } else if (e instanceof PartClosed pc) {
        CmafPart p = pc.part();
        long now = System.nanoTime();
        timeline.addPart(
            p.bytes(), p.startTime(), p.duration(), p.independent(), p.startsSegment(), now);
        // The part's last fragment is the current one when the part closed eagerly, else the
        // previous one.
        long partEnd = p.startTime() + p.duration();
        long written =
            partEnd == currentEnd ? currentPrft : partEnd == previousEnd ? previousPrft : -1;
        if (written > 0) {
          meters.partPublished(
              timeline.spec().name(), (System.currentTimeMillis() - written) * 1_000_000L);
        }
        changed = true;
      }
    }
    return changed;
  }
}
