package dev.headwater.media.isobmff;

/** A complete top-level box: header, all of its bytes (header included) and where it began. */
record RawBox(BoxHeader header, byte[] bytes, long streamOffset) {

  int type() {
    return header.type();
  }
}
