package dev.headwater.media.isobmff;

/**
 * Reads the first sample entry of an stsd box: dimensions or audio format, and the codec string.
 * Unknown entry types are not an error: the codec string falls back to the type.
 */
final class SampleEntryParser {

  private SampleEntryParser() {}

  /**
   * @param stsd payload of the stsd box
   */
  static ParseResult<SampleEntry> parse(BoxReader stsd, int handler) {
    // 14496-12 8.5.2 stsd: FullBox, then entry_count, then the entries.
    stsd.skip(4);
    long entryCount = stsd.u32();
    if (stsd.overrun()) {
      return ParseResult.fail("truncated stsd");
    }
    if (entryCount == 0) {
      return ParseResult.ok(SampleEntry.NONE);
    }
    BoxReader.Child entry = stsd.nextChild();
    if (entry == null) {
      return ParseResult.fail("stsd entry does not fit");
    }
    int type = entry.header().type();
    BoxReader r = entry.payload();
    // 14496-12 8.5.2.2 SampleEntry: reserved[6], data_reference_index.
    r.skip(8);
    if (handler == FourCc.VIDE) {
      return visual(type, r);
    }
    if (handler == FourCc.SOUN) {
      return audio(type, r);
    }
    return ParseResult.ok(new SampleEntry(FourCc.toString(type), 0, 0, 0, 0));
  }

  private static ParseResult<SampleEntry> visual(int type, BoxReader r) {
    // 14496-12 12.1.3 VisualSampleEntry: pre_defined(2) reserved(2) pre_defined(12)
    // width(2) height(2) horizres(4) vertres(4) reserved(4) frame_count(2)
    // compressorname(32) depth(2) pre_defined(2), then child boxes.
    r.skip(16);
    int width = r.u16();
    int height = r.u16();
    r.skip(50);
    if (r.overrun()) {
      return ParseResult.fail("truncated visual sample entry " + FourCc.toString(type));
    }
    String codec = FourCc.toString(type);
    if (type == FourCc.AVC1 || type == FourCc.AVC3) {
      BoxReader avcc = r.findChild(FourCc.AVCC);
      if (avcc != null) {
        ParseResult<String> c = CodecStrings.avc(codec, avcc);
        if (c.failed()) {
          return ParseResult.fail(c.problem());
        }
        codec = c.value();
      }
    }
    return ParseResult.ok(new SampleEntry(codec, width, height, 0, 0));
  }

  private static ParseResult<SampleEntry> audio(int type, BoxReader r) {
    // 14496-12 12.2.3 AudioSampleEntry: reserved(8) - QuickTime puts a version in the first
    // 2 bytes - channelcount(2) samplesize(2) pre_defined(2) reserved(2) samplerate(16.16).
    int version = r.u16();
    r.skip(6);
    int channels = r.u16();
    r.skip(6);
    int sampleRate = (int) (r.u32() >>> 16);
    // QuickTime sound description v1 adds 16 bytes, v2 adds 36, before the child boxes.
    if (version == 1) {
      r.skip(16);
    } else if (version == 2) {
      r.skip(36);
      sampleRate = 0;
    }
    if (r.overrun()) {
      return ParseResult.fail("truncated audio sample entry " + FourCc.toString(type));
    }
    String codec = FourCc.toString(type);
    if (type == FourCc.MP4A) {
      BoxReader esds = r.findChild(FourCc.ESDS);
      if (esds != null) {
        ParseResult<String> c = CodecStrings.mp4a(esds);
        if (c.failed()) {
          return ParseResult.fail(c.problem());
        }
        codec = c.value();
      }
    }
    return ParseResult.ok(new SampleEntry(codec, 0, 0, sampleRate, channels));
  }
}
