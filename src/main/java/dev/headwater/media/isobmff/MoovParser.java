package dev.headwater.media.isobmff;

/**
 * Extracts the {@link TrackInfo} of a single-track moov. A live ingest stream carries exactly one
 * track per rendition; more than one would interleave fragments we cannot split apart.
 */
final class MoovParser {

  private MoovParser() {}

  /**
   * @param moov the whole moov box (header included)
   */
  static ParseResult<TrackInfo> parse(byte[] moov, int headerSize) {
    BoxReader r = new BoxReader(moov, headerSize, moov.length - headerSize);
    BoxReader trak = null;
    BoxReader mvex = null;
    BoxReader.Child c;
    while ((c = r.nextChild()) != null) {
      int type = c.header().type();
      if (type == FourCc.TRAK) {
        if (trak != null) {
          return ParseResult.fail("moov has more than one trak; one track per stream expected");
        }
        trak = c.payload();
      } else if (type == FourCc.MVEX) {
        mvex = c.payload();
      }
    }
    if (r.overrun()) {
      return ParseResult.fail("moov children overrun the moov box");
    }
    if (trak == null) {
      return ParseResult.fail("moov has no trak");
    }
    return parseTrak(trak, mvex);
  }

  private static ParseResult<TrackInfo> parseTrak(BoxReader trak, BoxReader mvex) {
    BoxReader tkhd = null;
    BoxReader mdia = null;
    BoxReader.Child c;
    while ((c = trak.nextChild()) != null) {
      if (c.header().type() == FourCc.TKHD) {
        tkhd = c.payload();
      } else if (c.header().type() == FourCc.MDIA) {
        mdia = c.payload();
      }
    }
    if (tkhd == null || mdia == null) {
      return ParseResult.fail("trak without tkhd or mdia");
    }
    // 14496-12 8.3.2 tkhd: version 1 has 64-bit creation/modification times and duration.
    int version = tkhd.u8();
    tkhd.skip(3);
    tkhd.skip(version == 1 ? 16 : 8);
    int trackId = tkhd.i32();
    // reserved(4), duration(4|8), reserved(8), layer, alternate_group, volume, reserved(2),
    // matrix(36), then width and height as 16.16 fixed point.
    tkhd.skip(4 + (version == 1 ? 8 : 4) + 8 + 8 + 36);
    int tkhdWidth = (int) (tkhd.u32() >>> 16);
    int tkhdHeight = (int) (tkhd.u32() >>> 16);
    if (tkhd.overrun()) {
      return ParseResult.fail("truncated tkhd");
    }

    BoxReader mdhd = null;
    BoxReader hdlr = null;
    BoxReader minf = null;
    while ((c = mdia.nextChild()) != null) {
      int type = c.header().type();
      if (type == FourCc.MDHD) {
        mdhd = c.payload();
      } else if (type == FourCc.HDLR) {
        hdlr = c.payload();
      } else if (type == FourCc.MINF) {
        minf = c.payload();
      }
    }
    if (mdhd == null || hdlr == null) {
      return ParseResult.fail("mdia without mdhd or hdlr");
    }
    // 14496-12 8.4.2 mdhd: timescale follows creation and modification times (64-bit in v1).
    int mdhdVersion = mdhd.u8();
    mdhd.skip(3 + (mdhdVersion == 1 ? 16 : 8));
    long timescale = mdhd.u32();
    if (mdhd.overrun() || timescale == 0) {
      return ParseResult.fail("mdhd truncated or timescale 0");
    }
    // 14496-12 8.4.3 hdlr: FullBox, pre_defined(4), handler_type.
    hdlr.skip(8);
    int handler = hdlr.i32();
    if (hdlr.overrun()) {
      return ParseResult.fail("truncated hdlr");
    }

    SampleEntry entry = SampleEntry.NONE;
    BoxReader stbl = minf == null ? null : minf.findChild(FourCc.STBL);
    BoxReader stsd = stbl == null ? null : stbl.findChild(FourCc.STSD);
    if (stsd != null) {
      ParseResult<SampleEntry> e = SampleEntryParser.parse(stsd, handler);
      if (e.failed()) {
        return ParseResult.fail(e.problem());
      }
      entry = e.value();
    }

    // 14496-12 8.8.3 trex: defaults for the fragments of one track, in mvex.
    long defaultDuration = 0;
    long defaultSize = 0;
    int defaultFlags = 0;
    BoxReader trex;
    while (mvex != null && (trex = mvex.findChild(FourCc.TREX)) != null) {
      trex.skip(4);
      int id = trex.i32();
      trex.skip(4); // default_sample_description_index
      long duration = trex.u32();
      long size = trex.u32();
      int flags = trex.i32();
      if (trex.overrun()) {
        return ParseResult.fail("truncated trex");
      }
      if (id == trackId) {
        defaultDuration = duration;
        defaultSize = size;
        defaultFlags = flags;
      }
    }

    boolean video = handler == FourCc.VIDE;
    boolean audio = handler == FourCc.SOUN;
    int width = video ? (entry.width() != 0 ? entry.width() : tkhdWidth) : 0;
    int height = video ? (entry.height() != 0 ? entry.height() : tkhdHeight) : 0;
    int sampleRate = audio ? (entry.sampleRate() != 0 ? entry.sampleRate() : (int) timescale) : 0;
    return ParseResult.ok(
        new TrackInfo(
            trackId,
            FourCc.toString(handler),
            timescale,
            entry.codec(),
            width,
            height,
            sampleRate,
            audio ? entry.channelCount() : 0,
            defaultDuration,
            defaultFlags,
            defaultSize));
  }
}
