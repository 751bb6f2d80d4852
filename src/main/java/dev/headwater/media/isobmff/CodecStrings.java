package dev.headwater.media.isobmff;

/**
 * RFC 6381 codec strings for the HLS CODECS attribute, derived from decoder configuration boxes.
 */
final class CodecStrings {

  private static final int ES_DESCR_TAG = 0x03;
  private static final int DECODER_CONFIG_DESCR_TAG = 0x04;
  private static final int DEC_SPECIFIC_INFO_TAG = 0x05;
  private static final int OTI_MPEG4_AUDIO = 0x40;

  private CodecStrings() {}

  /**
   * RFC 6381 3.3: "avc1.PPCCLL" - profile_idc, constraint flags byte and level_idc as hexadecimal,
   * read from the AVCDecoderConfigurationRecord (14496-15 5.3.3.1).
   *
   * @param prefix sample entry type, "avc1" or "avc3"
   * @param avcc payload of the avcC box
   */
  static ParseResult<String> avc(String prefix, BoxReader avcc) {
    avcc.u8(); // configurationVersion
    int profile = avcc.u8();
    int compatibility = avcc.u8();
    int level = avcc.u8();
    if (avcc.overrun()) {
      return ParseResult.fail("truncated avcC");
    }
    return ParseResult.ok(String.format("%s.%02X%02X%02X", prefix, profile, compatibility, level));
  }

  /**
   * RFC 6381 3.3: "mp4a.40.N" for MPEG-4 audio, N the audioObjectType in decimal (14496-3 1.6.2.1
   * AudioSpecificConfig, with the 5-bit escape 31 -> 32 + 6 bits); otherwise "mp4a.OO", OO the
   * objectTypeIndication in hexadecimal.
   *
   * @param esds payload of the esds box (14496-14 5.6: FullBox + ES_Descriptor)
   */
  static ParseResult<String> mp4a(BoxReader esds) {
    esds.skip(4);
    if (esds.u8() != ES_DESCR_TAG) {
      return ParseResult.fail("esds does not start with an ES_Descriptor");
    }
    readDescriptorLength(esds);
    // 14496-1 7.2.6.5 ES_Descriptor: ES_ID(16), flags(8) announcing optional fields.
    esds.skip(2);
    int flags = esds.u8();
    if ((flags & 0x80) != 0) {
      esds.skip(2); // dependsOn_ES_ID
    }
    if ((flags & 0x40) != 0) {
      esds.skip(esds.u8()); // URLstring
    }
    if ((flags & 0x20) != 0) {
      esds.skip(2); // OCR_ES_Id
    }
    if (esds.u8() != DECODER_CONFIG_DESCR_TAG) {
      return ParseResult.fail("ES_Descriptor without DecoderConfigDescriptor");
    }
    readDescriptorLength(esds);
    int oti = esds.u8();
    // streamType/upStream/reserved(8), bufferSizeDB(24), maxBitrate(32), avgBitrate(32)
    esds.skip(12);
    if (esds.overrun()) {
      return ParseResult.fail("truncated esds");
    }
    if (oti != OTI_MPEG4_AUDIO) {
      return ParseResult.ok(String.format("mp4a.%02X", oti));
    }
    if (esds.u8() != DEC_SPECIFIC_INFO_TAG) {
      return ParseResult.fail("MPEG-4 audio without DecoderSpecificInfo");
    }
    readDescriptorLength(esds);
    int b0 = esds.u8();
    int b1 = esds.u8();
    if (esds.overrun()) {
      return ParseResult.fail("truncated DecoderSpecificInfo");
    }
    int aot = b0 >>> 3;
    if (aot == 31) {
      aot = 32 + (((b0 & 0x07) << 3) | (b1 >>> 5));
    }
    return ParseResult.ok("mp4a.40." + aot);
  }

  /** 14496-1 8.3.3 expandable size: up to four bytes of 7 bits, high bit = more follows. */
  private static int readDescriptorLength(BoxReader r) {
    int length = 0;
    for (int i = 0; i < 4; i++) {
      int b = r.u8();
      length = length << 7 | (b & 0x7F);
      if ((b & 0x80) == 0) {
        break;
      }
    }
    return length;
  }
}
