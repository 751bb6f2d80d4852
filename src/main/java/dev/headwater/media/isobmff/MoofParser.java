package dev.headwater.media.isobmff;

/**
 * Reads the timing of a single-traf moof: decode time, total duration, sample count and whether the
 * first sample is a sync sample. Defaults cascade trun -> tfhd -> trex.
 */
final class MoofParser {

  // 14496-12 8.8.7 tfhd tf_flags
  static final int TFHD_BASE_DATA_OFFSET = 0x000001;
  static final int TFHD_SAMPLE_DESCRIPTION_INDEX = 0x000002;
  static final int TFHD_DEFAULT_SAMPLE_DURATION = 0x000008;
  static final int TFHD_DEFAULT_SAMPLE_SIZE = 0x000010;
  static final int TFHD_DEFAULT_SAMPLE_FLAGS = 0x000020;
  // 14496-12 8.8.8 trun tr_flags
  static final int TRUN_DATA_OFFSET = 0x000001;
  static final int TRUN_FIRST_SAMPLE_FLAGS = 0x000004;
  static final int TRUN_SAMPLE_DURATION = 0x000100;
  static final int TRUN_SAMPLE_SIZE = 0x000200;
  static final int TRUN_SAMPLE_FLAGS = 0x000400;
  static final int TRUN_SAMPLE_COMPOSITION_TIME_OFFSET = 0x000800;

  /** 14496-12 8.8.3.1 sample flags: sample_is_non_sync_sample. */
  static final int SAMPLE_IS_NON_SYNC = 0x00010000;

  private MoofParser() {}

  /**
   * @param moof the whole moof box (header included)
   */
  static ParseResult<FragmentInfo> parse(byte[] moof, int headerSize, TrackInfo track) {
    BoxReader r = new BoxReader(moof, headerSize, moof.length - headerSize);
    BoxReader traf = null;
    BoxReader.Child c;
    while ((c = r.nextChild()) != null) {
      if (c.header().type() == FourCc.TRAF) {
        if (traf != null) {
          return ParseResult.fail("moof has more than one traf; one track per stream expected");
        }
        traf = c.payload();
      }
    }
    if (r.overrun()) {
      return ParseResult.fail("moof children overrun the moof box");
    }
    if (traf == null) {
      return ParseResult.fail("moof has no traf");
    }
    return parseTraf(traf, track);
  }

  private static ParseResult<FragmentInfo> parseTraf(BoxReader traf, TrackInfo track) {
    // 14496-12 8.8.7: tfhd is the first box of a traf; later boxes depend on its defaults.
    BoxReader.Child first = traf.nextChild();
    if (first == null || first.header().type() != FourCc.TFHD) {
      return ParseResult.fail("traf does not start with tfhd");
    }
    BoxReader tfhd = first.payload();
    tfhd.u8();
    int tfFlags = tfhd.u24();
    int trackId = tfhd.i32();
    if ((tfFlags & TFHD_BASE_DATA_OFFSET) != 0) {
      tfhd.skip(8);
    }
    if ((tfFlags & TFHD_SAMPLE_DESCRIPTION_INDEX) != 0) {
      tfhd.skip(4);
    }
    long defaultDuration = track.defaultSampleDuration();
    if ((tfFlags & TFHD_DEFAULT_SAMPLE_DURATION) != 0) {
      defaultDuration = tfhd.u32();
    }
    if ((tfFlags & TFHD_DEFAULT_SAMPLE_SIZE) != 0) {
      tfhd.skip(4);
    }
    int defaultFlags = track.defaultSampleFlags();
    if ((tfFlags & TFHD_DEFAULT_SAMPLE_FLAGS) != 0) {
      defaultFlags = tfhd.i32();
    }
    if (tfhd.overrun()) {
      return ParseResult.fail("truncated tfhd");
    }
    if (trackId != track.trackId()) {
      return ParseResult.fail(
          "tfhd track_ID "
              + Integer.toUnsignedString(trackId)
              + " does not match the moov track "
              + Integer.toUnsignedString(track.trackId()));
    }

    long baseMediaDecodeTime = -1;
    long duration = 0;
    long sampleCount = 0;
    Integer firstSampleFlags = null;
    BoxReader.Child c;
    while ((c = traf.nextChild()) != null) {
      int type = c.header().type();
      if (type == FourCc.TFDT) {
        BoxReader tfdt = c.payload();
        // 14496-12 8.8.12 tfdt: baseMediaDecodeTime is 64-bit when version == 1.
        int version = tfdt.u8();
        tfdt.skip(3);
        baseMediaDecodeTime = version == 1 ? tfdt.u64() : tfdt.u32();
        if (tfdt.overrun() || baseMediaDecodeTime < 0) {
          return ParseResult.fail("truncated or out-of-range tfdt");
        }
      } else if (type == FourCc.TRUN) {
        TrunTotals t = readTrun(c.payload(), defaultDuration, defaultFlags);
        if (t.problem != null) {
          return ParseResult.fail(t.problem);
        }
        if (firstSampleFlags == null && t.sampleCount > 0) {
          firstSampleFlags = t.firstSampleFlags;
        }
        duration += t.duration;
        sampleCount += t.sampleCount;
        if (duration < 0 || sampleCount > Integer.MAX_VALUE) {
          return ParseResult.fail("trun totals out of range");
        }
      }
    }
    if (traf.overrun()) {
      return ParseResult.fail("traf children overrun the traf box");
    }
    // CMAF (23000-19 7.3.2.3) requires tfdt; without it we cannot place the fragment in time.
    if (baseMediaDecodeTime < 0) {
      return ParseResult.fail("traf without tfdt");
    }
    // 14496-12 8.8.3.1: sample_is_non_sync_sample == 0 marks a sync sample. Audio frames
    // (handler soun) are all sync samples whatever the flags say.
    boolean independent =
        sampleCount > 0 && (track.isAudio() || (firstSampleFlags & SAMPLE_IS_NON_SYNC) == 0);
    return ParseResult.ok(
        new FragmentInfo(trackId, baseMediaDecodeTime, duration, (int) sampleCount, independent));
  }

  /** Mutable totals of one trun; a small holder rather than a record to avoid boxing. */
  private static final class TrunTotals {
    long duration;
    long sampleCount;
    int firstSampleFlags;
    String problem;
  }

  private static TrunTotals readTrun(BoxReader trun, long defaultDuration, int defaultFlags) {
    TrunTotals t = new TrunTotals();
    trun.u8(); // version: only changes the signedness of composition offsets, which we skip
    int flags = trun.u24();
    long count = trun.u32();
    // 14496-12 8.8.8 trun: data_offset present if flags & 0x001
    if ((flags & TRUN_DATA_OFFSET) != 0) {
      trun.skip(4);
    }
    // 14496-12 8.8.8 trun: first_sample_flags present if flags & 0x004; it overrides the
    // flags of the first sample only.
    boolean hasFirstFlags = (flags & TRUN_FIRST_SAMPLE_FLAGS) != 0;
    int firstFlags = hasFirstFlags ? trun.i32() : 0;
    if (trun.overrun()) {
      t.problem = "truncated trun header";
      return t;
    }
    boolean perDuration = (flags & TRUN_SAMPLE_DURATION) != 0;
    boolean perSize = (flags & TRUN_SAMPLE_SIZE) != 0;
    boolean perFlags = (flags & TRUN_SAMPLE_FLAGS) != 0;
    boolean perCto = (flags & TRUN_SAMPLE_COMPOSITION_TIME_OFFSET) != 0;
    int entrySize =
        4 * ((perDuration ? 1 : 0) + (perSize ? 1 : 0) + (perFlags ? 1 : 0) + (perCto ? 1 : 0));
    if (entrySize > 0 && count > trun.remaining() / entrySize) {
      t.problem = "trun sample_count " + count + " exceeds the trun box";
      return t;
    }
    t.sampleCount = count;
    if (count == 0) {
      return t;
    }
    if (!perDuration) {
      // 14496-12 8.8.8: absent sample_duration means the tfhd default, else the trex default.
      if (defaultDuration > 0 && count > Long.MAX_VALUE / defaultDuration) {
        t.problem = "trun duration overflows";
        return t;
      }
      t.duration = count * defaultDuration;
    }
    int sampleOneFlags = defaultFlags;
    if (entrySize > 0) {
      for (long i = 0; i < count; i++) {
        // 14496-12 8.8.8 trun: sample_duration present if flags & 0x100
        if (perDuration) {
          t.duration += trun.u32();
        }
        // 14496-12 8.8.8 trun: sample_size present if flags & 0x200
        if (perSize) {
          trun.skip(4);
        }
        // 14496-12 8.8.8 trun: sample_flags present if flags & 0x400
        if (perFlags) {
          int f = trun.i32();
          if (i == 0) {
            sampleOneFlags = f;
          }
        }
        // 14496-12 8.8.8 trun: sample_composition_time_offset present if flags & 0x800
        if (perCto) {
          trun.skip(4);
        }
      }
    }
    t.firstSampleFlags = hasFirstFlags ? firstFlags : sampleOneFlags;
    return t;
  }
}
