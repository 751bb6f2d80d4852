package dev.headwater.media.dash;

import java.util.List;

/**
 * An AdaptationSet (23009-1 §5.3.3): the Representations a client may switch between.
 *
 * @param contentType {@code video} or {@code audio}
 * @param audioChannels AudioChannelConfiguration value (§5.8.4.7, CICP ChannelConfiguration), 0 =
 *     absent
 * @param producerReferenceTime the ProducerReferenceTime (§5.12), or null
 * @param template the SegmentTemplate every Representation shares, or null when each has its own
 */
public record DashAdaptationSet(
    int id,
    String contentType,
    String mimeType,
    String lang,
    int audioChannels,
    ProducerReferenceTime producerReferenceTime,
    DashSegmentTemplate template,
    List<DashRepresentation> representations) {

  public DashAdaptationSet {
    representations = List.copyOf(representations);
    if (representations.isEmpty()) {
      throw new IllegalArgumentException("AdaptationSet " + id + " has no Representation");
    }
    for (DashRepresentation r : representations) {
      if ((template == null) == (r.template() == null)) {
        throw new IllegalArgumentException(
            "Representation "
                + r.id()
                + ": exactly one SegmentTemplate, on it or on its AdaptationSet");
      }
    }
  }
}
