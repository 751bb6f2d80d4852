package dev.headwater.media.isobmff;

import java.util.List;
import java.util.Optional;

/**
 * What one {@link Fmp4StreamReader#push} produced: the items completed by the pushed bytes, in
 * stream order, and an error if the stream failed. Items completed before the failing box are still
 * delivered, so no good media is lost to a later error.
 */
public record Fmp4ReadResult(List<Fmp4Item> items, Optional<Fmp4Error> error) {

  public Fmp4ReadResult {
    items = List.copyOf(items);
  }

  static Fmp4ReadResult ok(List<Fmp4Item> items) {
    return new Fmp4ReadResult(items, Optional.empty());
  }

  static Fmp4ReadResult failed(List<Fmp4Item> items, Fmp4Error error) {
    return new Fmp4ReadResult(items, Optional.of(error));
  }

  public boolean isError() {
    return error.isPresent();
  }
}
