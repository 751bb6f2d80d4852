package dev.headwater.media.isobmff;

/** A complete unit read from a fragmented MP4 stream. */
public sealed interface Fmp4Item permits InitSegment, Fragment {

  /** The exact bytes as received (a defensive copy). */
  byte[] bytes();
}
