package dev.headwater.media.dash;

/**
 * A Representation (23009-1 §5.3.5).
 *
 * @param id Representation@id, also the {@code $RepresentationID$} of the template: the rendition
 *     name, so it is the media path segment
 * @param bandwidth Representation@bandwidth, bits per second (§5.3.5.2: with minBufferTime, the
 *     rate at which the Representation can be delivered continuously)
 * @param codecs RFC 6381 codecs string, as in the HLS multivariant playlist
 * @param width 0 for audio
 * @param frameRate FrameRateType text ({@code 30} or {@code 30000/1001}), or null
 * @param audioSamplingRate 0 for video
 * @param template this Representation's own SegmentTemplate, or null to use its AdaptationSet's
 */
public record DashRepresentation(
    String id,
    long bandwidth,
    String codecs,
    int width,
    int height,
    String frameRate,
    int audioSamplingRate,
    DashSegmentTemplate template) {

  public DashRepresentation {
    DashText.token(id, "Representation@id");
    if (bandwidth <= 0 || bandwidth > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException(
          "Representation " + id + ": bandwidth must fit xs:unsignedInt and be > 0");
    }
    if (frameRate != null && !frameRate.matches("[0-9]+(/[1-9][0-9]*)?")) {
      throw new IllegalArgumentException("Representation " + id + ": bad frameRate " + frameRate);
    }
  }
}
