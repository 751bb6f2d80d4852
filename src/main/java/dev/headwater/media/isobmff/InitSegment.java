package dev.headwater.media.isobmff;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The ftyp and moov boxes exactly as received: the EXT-X-MAP resource of the rendition.
 * Immutable: the array is copied in and out; use {@link #asByteBuffer()} to read without a copy.
 */
public record InitSegment(byte[] bytes, TrackInfo track) implements Fmp4Item {

  public InitSegment {
    bytes = bytes.clone();
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  /** A read-only view of the bytes, without copying. */
  public ByteBuffer asByteBuffer() {
    return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
  }

  public int size() {
    return bytes.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InitSegment other && Arrays.equals(bytes, other.bytes) && track.equals(other.track);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(bytes) + track.hashCode();
  }

  @Override
  public String toString() {
    return "InitSegment[" + bytes.length + " bytes, " + track + "]";
  }
}
