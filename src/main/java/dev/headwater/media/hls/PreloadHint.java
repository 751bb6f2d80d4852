package dev.headwater.media.hls;

/**
 * EXT-X-PRELOAD-HINT (§4.4.5.3). The URI MUST be the one the hinted part (or map) will later be
 * listed under, and the resource MUST be requestable as soon as the hint is published (§6.2.6).
 *
 * @param type "PART" or "MAP"
 * @param uri URI of the hinted resource
 */
public record PreloadHint(String type, String uri) {

  public static final String PART = "PART";
  public static final String MAP = "MAP";

  public PreloadHint {
    if (!PART.equals(type) && !MAP.equals(type)) {
      throw new IllegalArgumentException("preload hint TYPE must be PART or MAP: " + type);
    }
    HlsText.quotable(uri, "preload hint URI");
  }

  public static PreloadHint part(String uri) {
    return new PreloadHint(PART, uri);
  }
}
