package dev.headwater.media.isobmff;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CodecStringsTest {

  static Stream<Arguments> avcCases() {
    return Stream.of(
        Arguments.of(
            TestBytes.of(
                0x01,
                0x42,
                0xC0,
                0x1E // configurationVersion 1, Baseline, constraint_set0+1, level 3.0
                ),
            "avc1.42C01E"),
        Arguments.of(
            TestBytes.of(
                0x01, 0x64, 0x00, 0x1F // configurationVersion 1, High, no constraints, level 3.1
                ),
            "avc1.64001F"),
        Arguments.of(
            TestBytes.of(
                0x01, 0x64 // truncated after profile
                ),
            null));
  }

  @ParameterizedTest
  @MethodSource("avcCases")
  void avc(byte[] avcc, String expected) {
    ParseResult<String> r = CodecStrings.avc("avc1", new BoxReader(avcc, 0, avcc.length));
    assertEquals(expected, r.value());
  }

  static Stream<Arguments> esdsCases() {
    return Stream.of(
        Arguments.of(esds(0x40, 0x12, 0x10), "mp4a.40.2"), // AOT 2 (AAC-LC), 44.1 kHz, mono
        Arguments.of(esds(0x40, 0x2B, 0x10), "mp4a.40.5"), // AOT 5 (SBR, HE-AAC)
        Arguments.of(esds(0x40, 0xF9, 0x40), "mp4a.40.42"), // escape 31 -> 32 + 10 (USAC)
        Arguments.of(esds(0x6B, 0x00, 0x00), "mp4a.6B"), // MPEG-1 audio (MP3), no DSI needed
        Arguments.of(
            TestBytes.of(
                0x00,
                0x00,
                0x00,
                0x00,
                0x04,
                0x00 // version, flags; a DecoderConfigDescriptor tag where ES_Descriptor belongs
                ),
            null));
  }

  @ParameterizedTest
  @MethodSource("esdsCases")
  void mp4a(byte[] esds, String expected) {
    assertEquals(expected, CodecStrings.mp4a(new BoxReader(esds, 0, esds.length)).value());
  }

  /** An esds payload as FFmpeg writes it (4-byte expandable lengths), varying OTI and the DSI. */
  static byte[] esds(int oti, int dsi0, int dsi1) {
    return TestBytes.of(
        0x00,
        0x00,
        0x00,
        0x00,
        0x03,
        0x80,
        0x80,
        0x80, // version 0, flags; ES_DescrTag, length (4 bytes)..
        0x22,
        0x00,
        0x01,
        0x00,
        0x04,
        0x80,
        0x80,
        0x80, // ..34; ES_ID 1, flags 0; DecoderConfigDescrTag, length..
        0x14,
        oti,
        0x15,
        0x00,
        0x00,
        0x00,
        0x00,
        0x00, // ..20; objectTypeIndication, streamType audio, bufferSizeDB, maxBitrate..
        0xFA,
        0x00,
        0x00,
        0x00,
        0xFA,
        0x00,
        0x05,
        0x80, // ..64000; avgBitrate 64000; DecSpecificInfoTag, length..
        0x80,
        0x80,
        0x02,
        dsi0,
        dsi1,
        0x06,
        0x80,
        0x80, // ..2; AudioSpecificConfig; SLConfigDescrTag, length..
        0x80,
        0x01,
        0x02 // ..1; predefined 2
        );
  }
}
