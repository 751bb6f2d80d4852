package dev.headwater.encode;

import static dev.headwater.media.TestBytes.bytes;
import static dev.headwater.media.TestBytes.concat;
import static dev.headwater.media.TestBytes.hexResource;

import dev.headwater.media.flv.FlvTag;

/** FLV tags as an RTMP publisher sends them (FLV spec E.4.2, E.4.3), for encoder tests. */
final class Flv {
  private Flv() {}

  /** An AVC sequence header carrying one of the SPS fixtures (e.g. "sps-1280x720-high.hex"). */
  static FlvTag avcHeader(String spsFixture) {
    byte[] sps = hexResource("/fixtures/avc/" + spsFixture);
    byte[] pps = bytes(0x68, 0xEB, 0xE3, 0xCB, 0x22, 0xC0);
    byte[] body =
        concat(
            bytes(
                0x17,
                0x00,
                0x00,
                0x00,
                0x00, // keyframe AVC, sequence header, cts 0
                0x01,
                sps[1] & 0xFF,
                sps[2] & 0xFF,
                sps[3] & 0xFF, // version, profile, compatibility, level
                0xFF,
                0xE1,
                0x00,
                sps.length), // 4-byte lengths, one SPS
            sps,
            bytes(0x01, 0x00, pps.length), // one PPS
            pps);
    return new FlvTag(FlvTag.VIDEO, 0, body);
  }

  /** AAC LC 48 kHz stereo AudioSpecificConfig. */
  static FlvTag aacHeader() {
    return new FlvTag(FlvTag.AUDIO, 0, bytes(0xAF, 0x00, 0x11, 0x90));
  }

  static FlvTag keyframe(long ts) {
    return new FlvTag(FlvTag.VIDEO, ts, concat(bytes(0x17, 0x01, 0, 0, 0), new byte[200]));
  }

  static FlvTag frame(long ts) {
    return new FlvTag(FlvTag.VIDEO, ts, concat(bytes(0x27, 0x01, 0, 0, 0), new byte[100]));
  }

  static FlvTag audio(long ts) {
    return new FlvTag(FlvTag.AUDIO, ts, concat(bytes(0xAF, 0x01), new byte[40]));
  }

  /** Sorenson H.263 (codec id 2): not H.264. */
  static FlvTag h263(long ts) {
    return new FlvTag(FlvTag.VIDEO, ts, bytes(0x12, 0, 0, 0));
  }
}
