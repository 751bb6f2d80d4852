package dev.headwater.media.rtmp;

import static dev.headwater.media.TestBytes.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headwater.media.avc.AvcDecoderConfig;
import dev.headwater.media.avc.AvcResult;
import dev.headwater.media.avc.AvcSps;
import dev.headwater.media.flv.FlvAudio;
import dev.headwater.media.flv.FlvTag;
import dev.headwater.media.flv.FlvVideo;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * Replays what FFmpeg 7.1 really sent when publishing to this server (recorded by
 * fixtures/rtmp/make-capture.sh): 320x240 H.264 and AAC with timestamps above 0xFFFFFF, so the
 * first key frame spans two 4096-byte chunks with extended timestamps on both.
 */
class RtmpPublishSessionReplayTest {

  static final byte[] CAPTURE = resource("/fixtures/rtmp/ffmpeg-publish.bin");

  @Test
  void replaysARealFfmpegPublishIntoTheExpectedEvents() {
    List<RtmpEvent> events = replay(List.of(CAPTURE.length));
    assertEquals(
        new RtmpEvent.PublishRequested("live", "cam1", "key=abc", "rtmp://127.0.0.1:19350/live"),
        events.get(0));
    RtmpEvent.Metadata metadata = assertInstanceOf(RtmpEvent.Metadata.class, events.get(1));
    assertEquals(320.0, metadata.values().get("width"));
    assertEquals(7.0, metadata.values().get("videocodecid"));
    assertEquals(new RtmpEvent.Unpublished(), events.get(events.size() - 1));

    List<FlvTag> media =
        events.subList(2, events.size() - 1).stream()
            .map(e -> assertInstanceOf(RtmpEvent.Media.class, e).tag())
            .toList();
    assertEquals(6, media.stream().filter(t -> t.tagType() == FlvTag.VIDEO).count());
    assertEquals(10, media.stream().filter(t -> t.tagType() == FlvTag.AUDIO).count());

    FlvTag sequenceHeader = media.get(0);
    assertTrue(FlvVideo.isAvcSequenceHeader(sequenceHeader.data()));
    AvcDecoderConfig config =
        (AvcDecoderConfig)
            assertInstanceOf(
                    AvcResult.Ok.class, AvcDecoderConfig.fromFlvVideoTag(sequenceHeader.data()))
                .value();
    AvcSps sps = (AvcSps) assertInstanceOf(AvcResult.Ok.class, config.parseSps()).value();
    assertEquals(320, sps.width());
    assertEquals(240, sps.height());
    assertTrue(config.codecString().startsWith("avc1.64"), config.codecString());
    assertTrue(FlvAudio.isAacSequenceHeader(media.get(1).data()));

    FlvTag firstKeyframe = media.get(2);
    assertTrue(FlvVideo.isKeyframe(firstKeyframe.data()));
    assertEquals(16_777_300L, firstKeyframe.timestampMs());
    assertEquals(5305, firstKeyframe.data().length);
  }

  @Property(tries = 100)
  void givesTheSameEventsWhateverTheReadSizes(
      @ForAll @Size(min = 1, max = 10) List<@IntRange(min = 1, max = 5000) Integer> pieces) {
    assertEquals(replay(List.of(CAPTURE.length)), replay(pieces));
  }

  /**
   * Feeds the capture in the given read sizes, accepting the publish as soon as it is requested.
   */
  static List<RtmpEvent> replay(List<Integer> pieces) {
    RtmpPublishSession session = new RtmpPublishSession(RtmpLimits.defaults(), new byte[] {1});
    List<RtmpEvent> events = new ArrayList<>();
    int p = 0;
    int i = 0;
    while (p < CAPTURE.length) {
      int n = Math.min(pieces.get(i++ % pieces.size()), CAPTURE.length - p);
      SessionOutput out = session.onBytes(CAPTURE, p, n);
      events.addAll(out.events());
      if (out.events().stream().anyMatch(e -> e instanceof RtmpEvent.PublishRequested)) {
        events.addAll(session.acceptPublish().events());
      }
      p += n;
    }
    return events;
  }
}
