package dev.headwater.media.isobmff;

import dev.headwater.media.Bytes;
import java.util.Objects;

/**
 * The ftyp and moov boxes exactly as received: the EXT-X-MAP resource of the rendition. Immutable:
 * {@link Bytes} never changes and compares by content.
 */
public record InitSegment(Bytes bytes, TrackInfo track) implements Fmp4Item {

  public InitSegment {
    Objects.requireNonNull(bytes, "bytes");
    Objects.requireNonNull(track, "track");
  }

  public int size() {
    return bytes.length();
  }
}
