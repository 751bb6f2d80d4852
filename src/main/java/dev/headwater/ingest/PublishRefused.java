package dev.headwater.ingest;

/**
 * A refused publish: {@code code} is the NetStream status sent to the publisher (e.g.
 * NetStream.Publish.BadName).
 */
public final class PublishRefused extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String code;

  public PublishRefused(String code, String description) {
    super(description, null, false, false);
    this.code = code;
  }

  public String code() {
    return code;
  }
}
