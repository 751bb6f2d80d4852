package dev.headwater.media.avc;

import static dev.headwater.media.TestBytes.bytes;
import static dev.headwater.media.TestBytes.concat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class AvcDecoderConfigTest {

  static final byte[] SPS = AvcSpsTest.fixture("sps-1280x720-high.hex");
  static final byte[] PPS = bytes(0x68, 0xEB, 0xE3, 0xCB, 0x22, 0xC0);

  /** An FLV AVC sequence header as FFmpeg sends it: 5-byte video header, then the record. */
  static byte[] sequenceHeaderTag() {
    return concat(
        bytes(
            0x17,
            0x00,
            0x00,
            0x00,
            0x00, // key frame AVC, seq header, cts 0
            0x01, // configurationVersion
            0x64,
            0x00,
            0x1F, // profile, compatibility, level
            0xFF, // lengthSizeMinusOne 3
            0xE1, // numOfSequenceParameterSets 1
            0x00,
            SPS.length), // SPS length
        SPS,
        bytes(
            0x01, // numOfPictureParameterSets 1
            0x00,
            PPS.length), // PPS length
        PPS);
  }

  @Test
  void parsesRecordFromSequenceHeaderTag() {
    AvcDecoderConfig c = ok(AvcDecoderConfig.fromFlvVideoTag(sequenceHeaderTag()));
    assertEquals(new AvcDecoderConfig(100, 0, 31, 4, SPS, PPS), c);
    assertEquals("avc1.64001F", c.codecString());
    AvcSps sps = (AvcSps) assertInstanceOf(AvcResult.Ok.class, c.parseSps()).value();
    assertEquals(1280, sps.width());
    assertEquals(720, sps.height());
  }

  @Test
  void acceptsARecordWithoutPps() {
    byte[] tag = sequenceHeaderTag();
    byte[] withoutPps = Arrays.copyOf(tag, 5 + 6 + 2 + SPS.length);
    assertArrayEquals(new byte[0], ok(AvcDecoderConfig.fromFlvVideoTag(withoutPps)).pps());
  }

  @Test
  void reportsMalformedRecordsAsErrors() {
    byte[] tag = sequenceHeaderTag();
    byte[] badVersion = tag.clone();
    badVersion[5] = 0;
    byte[] noSps = tag.clone();
    noSps[10] = (byte) 0xE0;
    assertError(AvcDecoderConfig.fromFlvVideoTag(badVersion), "configurationVersion");
    assertError(AvcDecoderConfig.fromFlvVideoTag(noSps), "no SPS");
    assertError(AvcDecoderConfig.fromFlvVideoTag(Arrays.copyOf(tag, 20)), "truncated SPS");
    assertError(
        AvcDecoderConfig.fromFlvVideoTag(Arrays.copyOf(tag, tag.length - 2)), "truncated PPS");
    assertError(
        AvcDecoderConfig.fromFlvVideoTag(bytes(0x17, 0x01, 0x00, 0x00, 0x00, 0x01)),
        "not an AVC sequence header");
    assertError(AvcDecoderConfig.parse(tag, 5, tag.length), "outside");
  }

  @Property(tries = 2000)
  void parsingArbitraryBytesNeverThrows(@ForAll @Size(max = 40) byte[] bytes) {
    if (bytes.length > 0) {
      bytes[0] = 1;
    }
    assertNotNull(AvcDecoderConfig.parse(bytes, 0, bytes.length));
  }

  static AvcDecoderConfig ok(AvcResult<AvcDecoderConfig> r) {
    return (AvcDecoderConfig) assertInstanceOf(AvcResult.Ok.class, r, r.toString()).value();
  }

  static void assertError(AvcResult<AvcDecoderConfig> r, String part) {
    AvcResult.Error<?> e = assertInstanceOf(AvcResult.Error.class, r);
    assertTrue(e.message().contains(part), e.message());
  }
}
