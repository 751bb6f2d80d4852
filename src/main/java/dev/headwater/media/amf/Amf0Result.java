package dev.headwater.media.amf;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Outcome of {@link Amf0Decoder#decodeAll}: all values of the buffer, or why they could not be
 * read.
 */
public sealed interface Amf0Result {

  /**
   * @param values the decoded values in wire order; see {@link Amf0Decoder} for the Java types
   */
  record Values(List<Object> values) implements Amf0Result {
    public Values {
      values = Collections.unmodifiableList(new ArrayList<>(values));
    }
  }

  /**
   * @param message what was wrong and at which offset
   */
  record Error(String message) implements Amf0Result {}
}
