package dev.headwater.media.isobmff;

/**
 * Why a fragmented MP4 stream could not be read. {@code streamOffset} is the position of the
 * offending box's first byte in the whole stream, so it can be matched against a capture.
 */
public record Fmp4Error(Kind kind, long streamOffset, String message) {

  /** The classes of failure a caller may want to tell apart (e.g. for metrics). */
  public enum Kind {
    /** Declared size smaller than the header itself: framing is lost. */
    BOX_TOO_SMALL,
    /** Declared size above the reader's bound. */
    BOX_TOO_LARGE,
    /** size == 0 ("to end of file"): meaningless on a live stream. */
    SIZE_TO_END_UNSUPPORTED,
    /** A type that is not a printable four-character code: framing is lost. */
    BAD_BOX_TYPE,
    /** A valid box in the wrong place, e.g. mdat without moof, moof before moov. */
    UNEXPECTED_BOX,
    /** ftyp/moov content we cannot use. */
    MALFORMED_INIT,
    /** moof content we cannot use. */
    MALFORMED_FRAGMENT
  }
}
