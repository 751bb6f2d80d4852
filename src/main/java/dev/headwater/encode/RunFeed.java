package dev.headwater.encode;

import dev.headwater.media.flv.FlvTag;
import dev.headwater.media.flv.FlvVideo;
import dev.headwater.media.flv.FlvWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The FLV byte stream of one encoder run. A run starts at a keyframe with timestamps rebased to 0,
 * so its media time 0 is one known instant of the publisher's clock (the run anchor) from which the
 * timeline derives EXT-X-PROGRAM-DATE-TIME. Frames before that keyframe are dropped: FFmpeg cannot
 * decode them. Pure.
 */
public final class RunFeed {
  private final boolean audio;
  private long tsBase = -1;

  public RunFeed(boolean audio) {
    this.audio = audio;
  }

  /** The FLV file header and the sequence headers at time 0: what FFmpeg reads before any frame. */
  public static List<byte[]> preamble(SourceProbe.Source source, boolean audio) {
    List<byte[]> out = new ArrayList<>(3);
    out.add(FlvWriter.header(audio, true));
    out.add(FlvWriter.tag(new FlvTag(FlvTag.VIDEO, 0, source.avcHeader().data())));
    if (audio && source.aacHeader() != null) {
      out.add(FlvWriter.tag(new FlvTag(FlvTag.AUDIO, 0, source.aacHeader().data())));
    }
    return out;
  }

  /**
   * The FLV bytes for a frame, or null when it is dropped (before the first keyframe, or unplanned
   * audio).
   */
  public byte[] feed(FlvTag tag) {
    if (tag.tagType() != FlvTag.VIDEO && tag.tagType() != FlvTag.AUDIO) {
      return null;
    }
    if (tsBase < 0) {
      if (tag.tagType() != FlvTag.VIDEO || !FlvVideo.isKeyframe(tag.data())) {
        return null;
      }
      tsBase = tag.timestampMs();
    }
    long ts = tag.timestampMs() - tsBase;
    if (ts < 0 || (tag.tagType() == FlvTag.AUDIO && !audio)) {
      return null;
    }
    return FlvWriter.tag(new FlvTag(tag.tagType(), ts, tag.data()));
  }

  /** True once the first keyframe was fed; {@link #anchorTimestamp()} is then known. */
  public boolean anchored() {
    return tsBase >= 0;
  }

  /** The publisher timestamp (ms) that is media time 0 of this run. */
  public long anchorTimestamp() {
    return tsBase;
  }
}
