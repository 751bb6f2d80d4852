package dev.headwater.media.isobmff;

import java.util.Objects;

/**
 * Big-endian cursor over a byte range that never throws on short data: a read past the end returns
 * 0 and latches {@link #overrun()}. Box parsers read a whole structure and check once, which keeps
 * field-by-field code free of length checks.
 */
public final class BoxReader {
  private final byte[] data;
  private final int end;
  private int pos;
  private boolean overrun;

  /** A reader over {@code data[offset, offset+length)}; bad bounds are a caller bug. */
  public BoxReader(byte[] data, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, data.length);
    this.data = data;
    this.pos = offset;
    this.end = offset + length;
  }

  /** A child box: its header and a reader over its payload. */
  public record Child(BoxHeader header, BoxReader payload) {}

  public boolean overrun() {
    return overrun;
  }

  public int remaining() {
    return end - pos;
  }

  public int u8() {
    if (!need(1)) {
      return 0;
    }
    return data[pos++] & 0xFF;
  }

  public int u16() {
    if (!need(2)) {
      return 0;
    }
    int v = (data[pos] & 0xFF) << 8 | (data[pos + 1] & 0xFF);
    pos += 2;
    return v;
  }

  public int u24() {
    if (!need(3)) {
      return 0;
    }
    int v = (data[pos] & 0xFF) << 16 | (data[pos + 1] & 0xFF) << 8 | (data[pos + 2] & 0xFF);
    pos += 3;
    return v;
  }

  public long u32() {
    if (!need(4)) {
      return 0;
    }
    long v =
        (data[pos] & 0xFFL) << 24
            | (data[pos + 1] & 0xFFL) << 16
            | (data[pos + 2] & 0xFFL) << 8
            | (data[pos + 3] & 0xFFL);
    pos += 4;
    return v;
  }

  /** 32 bits as a Java int: for flag words and fourccs, where the bit pattern matters. */
  public int i32() {
    return (int) u32();
  }

  /** 64 bits; values above 2^63-1 come back negative, which callers treat as invalid. */
  public long u64() {
    long hi = u32();
    long lo = u32();
    return hi << 32 | lo;
  }

  public void skip(long n) {
    if (n < 0 || n > remaining()) {
      overrun = true;
      pos = end;
      return;
    }
    pos += (int) n;
  }

  /**
   * Reads the next child box of a container payload and advances past it. Returns null when the
   * container is exhausted; a child that does not fit latches {@link #overrun()} and also returns
   * null, so {@code while ((c = r.nextChild()) != null)} loops end either way.
   */
  public Child nextChild() {
    if (overrun || remaining() == 0) {
      return null;
    }
    BoxHeader h = BoxHeader.parse(data, pos, remaining());
    if (h == null) {
      overrun = true;
      return null;
    }
    long size = h.size();
    // 14496-12 4.2: "if size is 0, then this box is the last one in the file" - inside a
    // container that can only mean "to the end of the container".
    if (size == 0) {
      size = remaining();
    }
    if (size < h.headerSize() || size > remaining()) {
      overrun = true;
      pos = end;
      return null;
    }
    BoxReader payload = new BoxReader(data, pos + h.headerSize(), (int) size - h.headerSize());
    pos += (int) size;
    return new Child(new BoxHeader(h.type(), size, h.headerSize()), payload);
  }

  /** Finds the first child of the given type, consuming children up to and including it. */
  public BoxReader findChild(int type) {
    Child c;
    while ((c = nextChild()) != null) {
      if (c.header().type() == type) {
        return c.payload();
      }
    }
    return null;
  }

  private boolean need(int n) {
    if (overrun || end - pos < n) {
      overrun = true;
      pos = end;
      return false;
    }
    return true;
  }
}
