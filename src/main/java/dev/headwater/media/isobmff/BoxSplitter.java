package dev.headwater.media.isobmff;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Push framer: reassembles top-level boxes from byte chunks split at arbitrary points.
 *
 * <p>States:
 *
 * <ul>
 *   <li>{@code HEADER}: collecting the 8-byte header, or 16 bytes when size == 1 (largesize). When
 *       complete, the size is validated and the box buffer allocated.
 *   <li>{@code BODY}: copying bytes into the box buffer until the declared size is reached; then
 *       the box is emitted and we return to {@code HEADER}.
 *   <li>{@code FAILED}: a header was invalid; all further bytes are ignored. Terminal.
 * </ul>
 *
 * The only buffers are the 16-byte header and one box of at most {@code maxBoxSize} bytes.
 *
 * <p>Copying into the box array is the one copy of media bytes on Headwater's path (socket chunk →
 * box array). Each box gets a fresh array that is handed over with the {@link RawBox} and never
 * written again, so everything downstream (fragments, parts, the buffers served) shares it. The
 * splitter keeps no reference to the caller's array after {@link #push} returns, so callers may
 * pass arrays they reuse or do not own.
 */
final class BoxSplitter {

  enum State {
    HEADER,
    BODY,
    FAILED
  }

  private final int maxBoxSize;
  private final byte[] header = new byte[BoxHeader.LARGE_SIZE];
  private int headerFill;
  private BoxHeader current;
  private byte[] box;
  private int boxFill;
  private long boxStart;
  private long streamPosition;
  private State state = State.HEADER;
  private Fmp4Error error;

  BoxSplitter(int maxBoxSize) {
    if (maxBoxSize < BoxHeader.LARGE_SIZE) {
      throw new IllegalArgumentException("maxBoxSize must be at least 16: " + maxBoxSize);
    }
    this.maxBoxSize = maxBoxSize;
  }

  State state() {
    return state;
  }

  Optional<Fmp4Error> error() {
    return Optional.ofNullable(error);
  }

  /** Bytes buffered for the box in progress (header included). */
  int pendingBytes() {
    return state == State.BODY ? boxFill : headerFill;
  }

  /** Feeds bytes; returns the boxes they complete, in order. Check {@link #error()} after. */
  List<RawBox> push(byte[] bytes, int offset, int length) {
    List<RawBox> out = new ArrayList<>();
    int p = offset;
    int end = offset + length;
    while (p < end) {
      p =
          switch (state) {
            case HEADER -> readHeader(bytes, p, end, out);
            case BODY -> readBody(bytes, p, end, out);
            case FAILED -> end;
          };
    }
    return out;
  }

  private int readHeader(byte[] bytes, int p, int end, List<RawBox> out) {
    int want = headerFill < BoxHeader.COMPACT_SIZE ? BoxHeader.COMPACT_SIZE : BoxHeader.LARGE_SIZE;
    int n = Math.min(want - headerFill, end - p);
    System.arraycopy(bytes, p, header, headerFill, n);
    headerFill += n;
    p += n;
    streamPosition += n;
    BoxHeader h = BoxHeader.parse(header, 0, headerFill);
    if (h == null) {
      return p;
    }
    boxStart = streamPosition - headerFill;
    Fmp4Error invalid = validate(h);
    if (invalid != null) {
      error = invalid;
      state = State.FAILED;
      return end;
    }
    current = h;
    box = new byte[(int) h.size()];
    System.arraycopy(header, 0, box, 0, h.headerSize());
    boxFill = h.headerSize();
    headerFill = 0;
    state = State.BODY;
    // A header-only box (e.g. an empty free box) is already complete.
    if (boxFill == box.length) {
      emit(out);
    }
    return p;
  }

  private int readBody(byte[] bytes, int p, int end, List<RawBox> out) {
    int n = Math.min(box.length - boxFill, end - p);
    System.arraycopy(bytes, p, box, boxFill, n);
    boxFill += n;
    streamPosition += n;
    if (boxFill == box.length) {
      emit(out);
    }
    return p + n;
  }

  private void emit(List<RawBox> out) {
    out.add(new RawBox(current, box, boxStart));
    box = null;
    current = null;
    boxFill = 0;
    state = State.HEADER;
  }

  private Fmp4Error validate(BoxHeader h) {
    if (!FourCc.isPrintable(h.type())) {
      return new Fmp4Error(
          Fmp4Error.Kind.BAD_BOX_TYPE,
          boxStart,
          "box type is not a printable fourcc: 0x" + Integer.toHexString(h.type()));
    }
    // 14496-12 4.2: "if size is 0, then this box shall be the last one in the file, and its
    // contents extend to the end of the file" - a live POST has no known end.
    if (h.size() == 0) {
      return new Fmp4Error(
          Fmp4Error.Kind.SIZE_TO_END_UNSUPPORTED,
          boxStart,
          h.typeName() + " declares size 0 (to end of file), not usable on a live stream");
    }
    if (h.size() >= 0 && h.size() < h.headerSize()) {
      return new Fmp4Error(
          Fmp4Error.Kind.BOX_TOO_SMALL,
          boxStart,
          h.typeName()
              + " declares size "
              + Long.toUnsignedString(h.size())
              + ", smaller than its header");
    }
    // A largesize of 2^63 or more reads as negative: also over the bound.
    if (h.size() < 0 || h.size() > maxBoxSize) {
      return new Fmp4Error(
          Fmp4Error.Kind.BOX_TOO_LARGE,
          boxStart,
          h.typeName()
              + " declares size "
              + Long.toUnsignedString(h.size())
              + ", above the bound "
              + maxBoxSize);
    }
    return null;
  }
}
