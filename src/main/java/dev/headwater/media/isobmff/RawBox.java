package dev.headwater.media.isobmff;

import dev.headwater.media.Bytes;

/**
 * A complete top-level box: header, all of its bytes (header included) in an array of its own, and
 * where it began. {@link BoxSplitter} allocates {@code array} for this box alone and never writes
 * to it once the box is emitted, so parsers read it in place and {@link #bytes()} shares it without
 * a copy (the ownership rule of {@link Bytes}). Nobody may write to it.
 */
record RawBox(BoxHeader header, byte[] array, long streamOffset) {

  int type() {
    return header.type();
  }

  int length() {
    return array.length;
  }

  /** The whole box as one range over {@link #array()}. */
  Bytes bytes() {
    return Bytes.wrap(array);
  }
}
