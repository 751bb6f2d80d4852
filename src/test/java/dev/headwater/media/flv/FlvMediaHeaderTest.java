package dev.headwater.media.flv;

import static dev.headwater.media.TestBytes.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FlvMediaHeaderTest {

  @Test
  void readsAvcSequenceHeaderAsKeyframeOfCodec7() {
    byte[] data = bytes(0x17, 0x00, 0x00, 0x00, 0x00, 0x01); // key frame, AVC; AVCPacketType 0
    assertEquals(7, FlvVideo.codecId(data));
    assertTrue(FlvVideo.isKeyframe(data));
    assertTrue(FlvVideo.isAvcSequenceHeader(data));
    assertEquals(0, FlvVideo.avcPacketType(data));
  }

  @Test
  void readsInterFrameNaluWithNegativeCompositionTime() {
    byte[] data = bytes(0x27, 0x01, 0xFF, 0xFF, 0xDE, 0x00); // inter frame, AVC; NALU; cts -34
    assertFalse(FlvVideo.isKeyframe(data));
    assertFalse(FlvVideo.isAvcSequenceHeader(data));
    assertEquals(1, FlvVideo.avcPacketType(data));
    assertEquals(-34, FlvVideo.compositionTimeMs(data));
  }

  @Test
  void reportsOtherCodecsWithoutClaimingAvc() {
    byte[] hevcEnhanced = bytes(0x90, 0x68, 0x76, 0x63, 0x31); // enhanced RTMP ex-header, "hvc1"
    assertEquals(0, FlvVideo.codecId(hevcEnhanced));
    assertFalse(FlvVideo.isAvcSequenceHeader(hevcEnhanced));
    assertEquals(-1, FlvVideo.codecId(new byte[0]));
    assertFalse(FlvVideo.isKeyframe(new byte[0]));
  }

  @Test
  void readsAacSequenceHeaderAndRawFrames() {
    assertEquals(10, FlvAudio.soundFormat(bytes(0xAF, 0x00, 0x12, 0x10)));
    assertTrue(FlvAudio.isAacSequenceHeader(bytes(0xAF, 0x00, 0x12, 0x10)));
    assertFalse(FlvAudio.isAacSequenceHeader(bytes(0xAF, 0x01, 0x21)));
    assertFalse(FlvAudio.isAacSequenceHeader(bytes(0x2F, 0x00))); // MP3
    assertEquals(-1, FlvAudio.soundFormat(new byte[0]));
  }
}
