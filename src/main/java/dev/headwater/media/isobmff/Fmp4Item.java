package dev.headwater.media.isobmff;

import dev.headwater.media.Bytes;

/** A complete unit read from a fragmented MP4 stream. */
public sealed interface Fmp4Item permits InitSegment, Fragment {

  /** The exact bytes as received, sharing the arrays the boxes were assembled in. */
  Bytes bytes();
}
