package dev.headwater.media.hls;

/**
 * EXT-X-RENDITION-REPORT (§4.4.5.4) about another Media Playlist of the same presentation. Appendix
 * B.1 wants one per other rendition in every LL playlist.
 *
 * @param uri URI of the reported Media Playlist; §4.4.5.4 MUST: relative to the playlist carrying
 *     the report
 * @param lastMsn LAST-MSN: MSN of its last segment, or of its last part when it has parts
 * @param lastPart LAST-PART: Part Index of its last part within {@code lastMsn}; -1 = omit (no
 *     parts)
 */
public record RenditionReport(String uri, long lastMsn, long lastPart) {

  public RenditionReport {
    HlsText.quotable(uri, "rendition report URI");
    if (uri.contains("://")) {
      throw new IllegalArgumentException("rendition report URI must be relative: " + uri);
    }
    if (lastMsn < 0 || lastPart < -1) {
      throw new IllegalArgumentException(
          "invalid rendition report position " + lastMsn + "/" + lastPart);
    }
  }
}
