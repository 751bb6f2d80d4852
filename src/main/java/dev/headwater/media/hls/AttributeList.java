package dev.headwater.media.hls;

/**
 * Builds the attribute-list of one tag (§4.2). Only the writers use it; tag names stay in the
 * writers.
 */
final class AttributeList {

  private final StringBuilder text = new StringBuilder();

  AttributeList quoted(String name, String value) {
    return raw(name, '"' + value + '"');
  }

  AttributeList seconds(String name, double value) {
    return raw(name, HlsFormat.seconds(value));
  }

  AttributeList integer(String name, long value) {
    return raw(name, Long.toString(value));
  }

  /** Writes {@code NAME=YES} when set; the attributes this package uses mean NO when absent. */
  AttributeList yesIf(String name, boolean set) {
    return set ? raw(name, "YES") : this;
  }

  AttributeList raw(String name, String value) {
    if (text.length() > 0) {
      text.append(',');
    }
    text.append(name).append('=').append(value);
    return this;
  }

  boolean isEmpty() {
    return text.length() == 0;
  }

  @Override
  public String toString() {
    return text.toString();
  }
}
