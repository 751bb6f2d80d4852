package dev.headwater.media.hls;

/**
 * One Variant Stream: an EXT-X-STREAM-INF tag and its URI line (§4.4.6.2). [AUTH] 9.1/9.2/9.14/9.15
 * make CODECS, RESOLUTION (video), AVERAGE-BANDWIDTH and FRAME-RATE (video) MUSTs, so they are part
 * of the value.
 *
 * @param uri URI of the Media Playlist
 * @param bandwidth BANDWIDTH, peak bits per second, > 0
 * @param averageBandwidth AVERAGE-BANDWIDTH bits per second; 0 = omit
 * @param codecs CODECS, every format in every rendition of the variant (§6.2.4), e.g. {@code
 *     avc1.64001F,mp4a.40.2}
 * @param width RESOLUTION width; 0 together with height = omit (audio-only variant)
 * @param height RESOLUTION height
 * @param frameRate FRAME-RATE; 0 = omit
 * @param audioGroup AUDIO group id of an {@link AudioRendition}, or null
 */
public record Variant(
    String uri,
    long bandwidth,
    long averageBandwidth,
    String codecs,
    int width,
    int height,
    double frameRate,
    String audioGroup) {

  public Variant {
    HlsText.uriLine(uri, "variant URI");
    HlsText.quotable(codecs, "CODECS");
    if (bandwidth <= 0 || averageBandwidth < 0) {
      throw new IllegalArgumentException(
          "BANDWIDTH must be > 0 and AVERAGE-BANDWIDTH >= 0: " + uri);
    }
    if (width < 0 || height < 0 || (width == 0) != (height == 0)) {
      throw new IllegalArgumentException("RESOLUTION needs both width and height: " + uri);
    }
    HlsText.nonNegative(frameRate, "FRAME-RATE");
    if (audioGroup != null) {
      HlsText.quotable(audioGroup, "AUDIO group");
    }
  }
}
