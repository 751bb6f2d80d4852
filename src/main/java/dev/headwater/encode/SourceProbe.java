package dev.headwater.encode;

import dev.headwater.media.avc.AvcDecoderConfig;
import dev.headwater.media.avc.AvcResult;
import dev.headwater.media.avc.AvcSps;
import dev.headwater.media.flv.FlvAudio;
import dev.headwater.media.flv.FlvTag;
import dev.headwater.media.flv.FlvVideo;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Learns what a publisher sends before the first encoder run: the H.264 sequence header (and from
 * its SPS the height), the AAC sequence header if any, and the onMetaData values. Frames that
 * arrive meanwhile are held (bounded; past the bound the oldest are dropped) so the first run
 * starts with them. Pure: time is the tags' own timestamps.
 *
 * <p>Audio is known when its sequence header arrived, when the metadata lists no audio codec, or
 * when {@link #AUDIO_PROBE_MS} of video came without one (a video-only source).
 */
public final class SourceProbe {
  /**
   * Video seen without an audio sequence header after which the source is taken to have no audio.
   */
  static final long AUDIO_PROBE_MS = 1000;

  /** What the probe concluded from a tag. */
  public enum Outcome {
    NEED_MORE,
    READY,
    UNSUPPORTED
  }

  /**
   * The source as probed: enough to plan the ladder and to start any run (the sequence headers).
   */
  public record Source(
      int height,
      boolean audio,
      int frameRate,
      int videoKbps,
      FlvTag avcHeader,
      FlvTag aacHeader) {}

  private final long maxHeldBytes;
  private final Consumer<FlvTag> onDropped;
  private final ArrayDeque<FlvTag> held = new ArrayDeque<>();
  private long heldBytes;
  private Map<String, Object> metadata = Map.of();
  private FlvTag avcHeader;
  private FlvTag aacHeader;
  private long firstVideoTs = -1;
  private String unsupported;

  /**
   * @param onDropped receives each held frame dropped over the bound (to count it and release its
   *     bytes)
   */
  public SourceProbe(long maxHeldBytes, Consumer<FlvTag> onDropped) {
    this.maxHeldBytes = maxHeldBytes;
    this.onDropped = onDropped;
  }

  public void metadata(Map<String, Object> values) {
    metadata = values;
  }

  /**
   * Takes one tag. Sequence headers are kept as the source's headers, other frames are held.
   * Returns READY once video and audio are known, UNSUPPORTED for a video codec other than H.264
   * (see {@link #unsupportedReason()}).
   */
  public Outcome offer(FlvTag tag) {
    if (unsupported != null) {
      return Outcome.UNSUPPORTED;
    }
    if (tag.tagType() == FlvTag.VIDEO
        && tag.data().length > 0
        && FlvVideo.codecId(tag.data()) != FlvVideo.CODEC_AVC) {
      unsupported =
          "unsupported video codec id " + FlvVideo.codecId(tag.data()) + " (H.264 required)";
      return Outcome.UNSUPPORTED;
    }
    if (isSequenceHeader(tag)) {
      if (tag.tagType() == FlvTag.VIDEO) {
        avcHeader = tag;
      } else {
        aacHeader = tag;
      }
    } else if (tag.tagType() == FlvTag.VIDEO || tag.tagType() == FlvTag.AUDIO) {
      if (tag.tagType() == FlvTag.VIDEO && firstVideoTs < 0) {
        firstVideoTs = tag.timestampMs();
      }
      held.addLast(tag);
      heldBytes += tag.data().length;
      while (heldBytes > maxHeldBytes && !held.isEmpty()) {
        FlvTag gone = held.removeFirst();
        heldBytes -= gone.data().length;
        onDropped.accept(gone);
      }
    }
    return ready(tag.timestampMs()) ? Outcome.READY : Outcome.NEED_MORE;
  }

  private boolean ready(long nowTs) {
    if (avcHeader == null) {
      return false;
    }
    return aacHeader != null
        || (!metadata.isEmpty() && !metadata.containsKey("audiocodecid"))
        || (firstVideoTs >= 0 && nowTs - firstVideoTs >= AUDIO_PROBE_MS);
  }

  public String unsupportedReason() {
    return unsupported;
  }

  public boolean sawVideoHeader() {
    return avcHeader != null;
  }

  /** The source; valid once {@link #offer} returned READY. */
  public Source source() {
    return new Source(
        height(),
        aacHeader != null,
        number(metadata.get("framerate")),
        number(metadata.get("videodatarate")),
        avcHeader,
        aacHeader);
  }

  /** Hands over the held frames, oldest first, and forgets them. */
  public List<FlvTag> takeHeld() {
    List<FlvTag> out = List.copyOf(held);
    held.clear();
    heldBytes = 0;
    return out;
  }

  public static boolean isSequenceHeader(FlvTag tag) {
    return (tag.tagType() == FlvTag.VIDEO && FlvVideo.isAvcSequenceHeader(tag.data()))
        || (tag.tagType() == FlvTag.AUDIO && FlvAudio.isAacSequenceHeader(tag.data()));
  }

  private int height() {
    if (AvcDecoderConfig.fromFlvVideoTag(avcHeader.data())
            instanceof AvcResult.Ok<AvcDecoderConfig> config
        && config.value().parseSps() instanceof AvcResult.Ok<AvcSps> sps) {
      return sps.value().height();
    }
    return number(metadata.get("height"));
  }

  private static int number(Object o) {
    return o instanceof Number n ? (int) Math.round(n.doubleValue()) : 0;
  }
}
