package dev.headwater.media.isobmff;

/**
 * Hand-written fixtures: a minimal single-track init segment whose trex carries non-zero defaults,
 * and moof+mdat pairs exercising the tfhd/trun flag combinations. Eight bytes per line, fields
 * named in the comment.
 */
final class HandcraftedBoxes {

  private HandcraftedBoxes() {}

  static final byte[] FTYP =
      TestBytes.of(
          0x00,
          0x00,
          0x00,
          0x10,
          'f',
          't',
          'y',
          'p', // size 16, ftyp
          'i',
          's',
          'o',
          '6',
          0x00,
          0x00,
          0x00,
          0x00 // major_brand iso6, minor_version 0
          );

  /** moov: track 7, vide, timescale 90000, tkhd 320x180, trex duration 3000 and non-sync flags. */
  static final byte[] MOOV =
      TestBytes.of(
          0x00,
          0x00,
          0x00,
          0xDD,
          'm',
          'o',
          'o',
          'v', // size 221, moov
          0x00,
          0x00,
          0x00,
          0xAD,
          't',
          'r',
          'a',
          'k', // size 173, trak
          0x00,
          0x00,
          0x00,
          0x5C,
          't',
          'k',
          'h',
          'd', // size 92, tkhd
          0x00,
          0x00,
          0x00,
          0x03,
          0x00,
          0x00,
          0x00,
          0x00, // version 0, flags 3; creation_time
          0x00,
          0x00,
          0x00,
          0x00,
          0x00,
          0x00,
          0x00,
          0x07, // modification_time; track_ID 7
          0x00,
          0x00,
          0x00,
          0x00,
          0x00,
          0x00,
          0x00,
          0x00, // reserved; duration
          0x00,
          0x00,
          0x00,
          0x00,
          0x00,
          0x00,
          0x00,
          0x00, // reserved[2]
          0x00,
          0x00,
          0x00,
          0x00,
          0x00,
          0x00,
          0x00,
          0x00, // layer, alternate_group, volume, reserved
          0x00,
          0x01,
          0x00,
          0x00,
          0x00,
          0x00,
          0x00,
          0x00, // matrix[0] 1.0, matrix[1]
          0x00,
          0x00,
          0x00,
          0x00,
          0x00,
          0x00,
          0x00,
          0x00, // matrix[2], matrix[3]
          0x00,
          0x01,
          0x00,
          0x00,
          0x00,
          0x00,
          0x00,
          0x00, // matrix[4] 1.0, matrix[5]
          0x00,
          0x00,
          0x00,
          0x00,
          0x00,
          0x00,
          0x00,
          0x00, // matrix[6], matrix[7]
          0x40,
          0x00,
          0x00,
          0x00,
          0x01,
          0x40,
          0x00,
          0x00, // matrix[8] 1.0 (2.30); width 320.0
          0x00,
          0xB4,
          0x00,
          0x00, // height 180.0
          0x00,
          0x00,
          0x00,
          0x49,
          'm',
          'd',
          'i',
          'a', // size 73, mdia
          0x00,
          0x00,
          0x00,
          0x20,
          'm',
          'd',
          'h',
          'd', // size 32, mdhd
          0x00,
          0x00,
          0x00,
          0x00,
          0x00,
          0x00,
          0x00,
          0x00, // version 0, flags; creation_time
          0x00,
          0x00,
          0x00,
          0x00,
          0x00,
          0x01,
          0x5F,
          0x90, // modification_time; timescale 90000
          0x00,
          0x00,
          0x00,
          0x00,
          0x55,
          0xC4,
          0x00,
          0x00, // duration; language und, pre_defined
          0x00,
          0x00,
          0x00,
          0x21,
          'h',
          'd',
          'l',
          'r', // size 33, hdlr
          0x00,
          0x00,
          0x00,
          0x00,
          0x00,
          0x00,
          0x00,
          0x00, // version 0, flags; pre_defined
          'v',
          'i',
          'd',
          'e',
          0x00,
          0x00,
          0x00,
          0x00, // handler_type vide; reserved[0]
          0x00,
          0x00,
          0x00,
          0x00,
          0x00,
          0x00,
          0x00,
          0x00, // reserved[1], reserved[2]
          0x00, // name "" (terminator only)
          0x00,
          0x00,
          0x00,
          0x28,
          'm',
          'v',
          'e',
          'x', // size 40, mvex
          0x00,
          0x00,
          0x00,
          0x20,
          't',
          'r',
          'e',
          'x', // size 32, trex
          0x00,
          0x00,
          0x00,
          0x00,
          0x00,
          0x00,
          0x00,
          0x07, // version 0, flags; track_ID 7
          0x00,
          0x00,
          0x00,
          0x01,
          0x00,
          0x00,
          0x0B,
          0xB8, // default_sample_description_index 1; default_sample_duration 3000
          0x00,
          0x00,
          0x00,
          0x00,
          0x00,
          0x01,
          0x00,
          0x00 // default_sample_size 0; default_sample_flags non-sync
          );

  static final TrackInfo TRACK =
      new TrackInfo(7, "vide", 90_000, "", 320, 180, 0, 0, 3000, 0x00010000, 0);

  static final byte[] INIT = TestBytes.concat(FTYP, MOOV);

  static final byte[] MFHD =
      TestBytes.of(
          0x00,
          0x00,
          0x00,
          0x10,
          'm',
          'f',
          'h',
          'd', // size 16, mfhd
          0x00,
          0x00,
          0x00,
          0x00,
          0x00,
          0x00,
          0x00,
          0x01 // version 0, flags; sequence_number 1
          );

  static final byte[] MDAT =
      TestBytes.of(
          0x00,
          0x00,
          0x00,
          0x0B,
          'm',
          'd',
          'a',
          't', // size 11, mdat
          0xAA,
          0xBB,
          0xCC // sample data
          );

  /** Durations and flags both from trex: 3 x 3000, first sample non-sync. */
  static final byte[] MOOF_TREX_DEFAULTS =
      TestBytes.concat(
          TestBytes.of(
              0x00, 0x00, 0x00, 0x54, 'm', 'o', 'o', 'f' // size 84, moof
              ),
          MFHD,
          TestBytes.of(
              0x00,
              0x00,
              0x00,
              0x3C,
              't',
              'r',
              'a',
              'f', // size 60, traf
              0x00,
              0x00,
              0x00,
              0x10,
              't',
              'f',
              'h',
              'd', // size 16, tfhd
              0x00,
              0x02,
              0x00,
              0x00,
              0x00,
              0x00,
              0x00,
              0x07, // version 0, flags default-base-is-moof; track_ID 7
              0x00,
              0x00,
              0x00,
              0x10,
              't',
              'f',
              'd',
              't', // size 16, tfdt
              0x00,
              0x00,
              0x00,
              0x00,
              0x00,
              0x01,
              0x5F,
              0x90, // version 0, flags; baseMediaDecodeTime 90000
              0x00,
              0x00,
              0x00,
              0x14,
              't',
              'r',
              'u',
              'n', // size 20, trun
              0x00,
              0x00,
              0x00,
              0x01,
              0x00,
              0x00,
              0x00,
              0x03, // version 0, flags data-offset; sample_count 3
              0x00,
              0x00,
              0x00,
              0x5C // data_offset 92
              ));

  /** tfhd default-sample-duration 1500 and default-sample-flags sync: 4 x 1500, independent. */
  static final byte[] MOOF_TFHD_DEFAULTS =
      TestBytes.concat(
          TestBytes.of(
              0x00, 0x00, 0x00, 0x5C, 'm', 'o', 'o', 'f' // size 92, moof
              ),
          MFHD,
          TestBytes.of(
              0x00,
              0x00,
              0x00,
              0x44,
              't',
              'r',
              'a',
              'f', // size 68, traf
              0x00,
              0x00,
              0x00,
              0x18,
              't',
              'f',
              'h',
              'd', // size 24, tfhd
              0x00,
              0x02,
              0x00,
              0x28,
              0x00,
              0x00,
              0x00,
              0x07, // version 0, flags base-is-moof|dflt-duration|dflt-flags; track_ID 7
              0x00,
              0x00,
              0x05,
              0xDC,
              0x02,
              0x00,
              0x00,
              0x00, // default_sample_duration 1500; default_sample_flags sync (depends on none)
              0x00,
              0x00,
              0x00,
              0x10,
              't',
              'f',
              'd',
              't', // size 16, tfdt
              0x00,
              0x00,
              0x00,
              0x00,
              0x00,
              0x00,
              0x00,
              0x00, // version 0, flags; baseMediaDecodeTime 0
              0x00,
              0x00,
              0x00,
              0x14,
              't',
              'r',
              'u',
              'n', // size 20, trun
              0x00,
              0x00,
              0x00,
              0x01,
              0x00,
              0x00,
              0x00,
              0x04, // version 0, flags data-offset; sample_count 4
              0x00,
              0x00,
              0x00,
              0x64 // data_offset 100
              ));

  /** Version-1 tfdt above 2^32; first-sample-flags make a sync sample despite trex non-sync. */
  static final byte[] MOOF_FIRST_SAMPLE_FLAGS_TFDT_V1 =
      TestBytes.concat(
          TestBytes.of(
              0x00, 0x00, 0x00, 0x5C, 'm', 'o', 'o', 'f' // size 92, moof
              ),
          MFHD,
          TestBytes.of(
              0x00,
              0x00,
              0x00,
              0x44,
              't',
              'r',
              'a',
              'f', // size 68, traf
              0x00,
              0x00,
              0x00,
              0x10,
              't',
              'f',
              'h',
              'd', // size 16, tfhd
              0x00,
              0x02,
              0x00,
              0x00,
              0x00,
              0x00,
              0x00,
              0x07, // version 0, flags default-base-is-moof; track_ID 7
              0x00,
              0x00,
              0x00,
              0x14,
              't',
              'f',
              'd',
              't', // size 20, tfdt
              0x01,
              0x00,
              0x00,
              0x00,
              0x00,
              0x00,
              0x00,
              0x02, // version 1, flags; baseMediaDecodeTime high word 2
              0x00,
              0x00,
              0x00,
              0x00, // baseMediaDecodeTime low word 0 -> 2^33
              0x00,
              0x00,
              0x00,
              0x18,
              't',
              'r',
              'u',
              'n', // size 24, trun
              0x00,
              0x00,
              0x00,
              0x05,
              0x00,
              0x00,
              0x00,
              0x02, // version 0, flags data-offset|first-sample-flags; sample_count 2
              0x00,
              0x00,
              0x00,
              0x64,
              0x02,
              0x00,
              0x00,
              0x00 // data_offset 100; first_sample_flags sync
              ));

  /**
   * Every optional tfhd field, then a version-1 trun with per-sample duration, size, flags and a
   * negative composition offset; per-sample values override the tfhd defaults.
   */
  static final byte[] MOOF_PER_SAMPLE_FIELDS =
      TestBytes.concat(
          TestBytes.of(
              0x00, 0x00, 0x00, 0x8C, 'm', 'o', 'o', 'f' // size 140, moof
              ),
          MFHD,
          TestBytes.of(
              0x00,
              0x00,
              0x00,
              0x74,
              't',
              'r',
              'a',
              'f', // size 116, traf
              0x00,
              0x00,
              0x00,
              0x28,
              't',
              'f',
              'h',
              'd', // size 40, tfhd
              0x00,
              0x00,
              0x00,
              0x3B,
              0x00,
              0x00,
              0x00,
              0x07, // version 0, flags 0x3B (all but duration-is-empty); track_ID 7
              0x00,
              0x00,
              0x00,
              0x00,
              0x00,
              0x00,
              0x00,
              0x00, // base_data_offset 0
              0x00,
              0x00,
              0x00,
              0x01,
              0x00,
              0x00,
              0x03,
              0xE8, // sample_description_index 1; default_sample_duration 1000
              0x00,
              0x00,
              0x00,
              0x64,
              0x00,
              0x00,
              0x00,
              0x00, // default_sample_size 100; default_sample_flags sync
              0x00,
              0x00,
              0x00,
              0x10,
              't',
              'f',
              'd',
              't', // size 16, tfdt
              0x00,
              0x00,
              0x00,
              0x00,
              0x00,
              0x00,
              0x0B,
              0xB8, // version 0, flags; baseMediaDecodeTime 3000
              0x00,
              0x00,
              0x00,
              0x34,
              't',
              'r',
              'u',
              'n', // size 52, trun
              0x01,
              0x00,
              0x0F,
              0x01,
              0x00,
              0x00,
              0x00,
              0x02, // version 1, flags data-offset|duration|size|flags|cto; sample_count 2
              0x00,
              0x00,
              0x00,
              0x94,
              0x00,
              0x00,
              0x07,
              0xD0, // data_offset 148; sample[0] duration 2000
              0x00,
              0x00,
              0x00,
              0x01,
              0x00,
              0x01,
              0x00,
              0x00, // sample[0] size 1, flags non-sync
              0xFF,
              0xFF,
              0xFF,
              0xFF,
              0x00,
              0x00,
              0x09,
              0xC4, // sample[0] composition offset -1; sample[1] duration 2500
              0x00,
              0x00,
              0x00,
              0x02,
              0x00,
              0x01,
              0x00,
              0x00, // sample[1] size 2, flags non-sync
              0x00,
              0x00,
              0x00,
              0x00 // sample[1] composition offset 0
              ));

  /** Two truns in one traf: 2 x tfhd default 1024, then one explicit 512. */
  static final byte[] MOOF_TWO_TRUNS =
      TestBytes.concat(
          TestBytes.of(
              0x00, 0x00, 0x00, 0x6C, 'm', 'o', 'o', 'f' // size 108, moof
              ),
          MFHD,
          TestBytes.of(
              0x00,
              0x00,
              0x00,
              0x54,
              't',
              'r',
              'a',
              'f', // size 84, traf
              0x00,
              0x00,
              0x00,
              0x14,
              't',
              'f',
              'h',
              'd', // size 20, tfhd
              0x00,
              0x02,
              0x00,
              0x08,
              0x00,
              0x00,
              0x00,
              0x07, // version 0, flags base-is-moof|dflt-duration; track_ID 7
              0x00,
              0x00,
              0x04,
              0x00, // default_sample_duration 1024
              0x00,
              0x00,
              0x00,
              0x10,
              't',
              'f',
              'd',
              't', // size 16, tfdt
              0x00,
              0x00,
              0x00,
              0x00,
              0x00,
              0x00,
              0xBB,
              0x80, // version 0, flags; baseMediaDecodeTime 48000
              0x00,
              0x00,
              0x00,
              0x14,
              't',
              'r',
              'u',
              'n', // size 20, trun
              0x00,
              0x00,
              0x00,
              0x01,
              0x00,
              0x00,
              0x00,
              0x02, // version 0, flags data-offset; sample_count 2
              0x00,
              0x00,
              0x00,
              0x74, // data_offset 116
              0x00,
              0x00,
              0x00,
              0x14,
              't',
              'r',
              'u',
              'n', // size 20, trun
              0x00,
              0x00,
              0x01,
              0x00,
              0x00,
              0x00,
              0x00,
              0x01, // version 0, flags duration; sample_count 1
              0x00,
              0x00,
              0x02,
              0x00 // sample[0] duration 512
              ));

  /** An mdat with a 64-bit largesize header. */
  static final byte[] MDAT_LARGESIZE =
      TestBytes.of(
          0x00,
          0x00,
          0x00,
          0x01,
          'm',
          'd',
          'a',
          't', // size 1 (largesize follows), mdat
          0x00,
          0x00,
          0x00,
          0x00,
          0x00,
          0x00,
          0x00,
          0x13, // largesize 19
          0xAA,
          0xBB,
          0xCC // sample data
          );

  static final byte[] STYP =
      TestBytes.of(
          0x00,
          0x00,
          0x00,
          0x10,
          's',
          't',
          'y',
          'p', // size 16, styp
          'm',
          's',
          'd',
          'h',
          0x00,
          0x00,
          0x00,
          0x00 // major_brand msdh, minor_version 0
          );

  static final byte[] FREE =
      TestBytes.of(
          0x00,
          0x00,
          0x00,
          0x0A,
          'f',
          'r',
          'e',
          'e', // size 10, free
          0x00,
          0x00 // padding
          );

  static final byte[] SIDX_STUB =
      TestBytes.of(
          0x00,
          0x00,
          0x00,
          0x0C,
          's',
          'i',
          'd',
          'x', // size 12, sidx (content irrelevant: dropped)
          0x01,
          0x00,
          0x00,
          0x00 // version 1, flags
          );
}
