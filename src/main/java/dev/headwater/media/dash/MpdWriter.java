package dev.headwater.media.dash;

/**
 * Renders an {@link Mpd} as XML; the only code that writes MPD elements. Elements come in the order
 * the MPD schema's sequences prescribe (23009-1 Annex B), attributes in a fixed order, two spaces
 * of indentation, LF line ends.
 */
public final class MpdWriter {

  private MpdWriter() {}

  public static String write(Mpd mpd) {
    Xml x = new Xml();
    x.out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    x.open("MPD")
        .attr("xmlns", Mpd.NAMESPACE)
        .attr("profiles", String.join(",", mpd.profiles()))
        .attr("type", mpd.dynamic() ? "dynamic" : "static");
    if (mpd.availabilityStartTime() != null) {
      x.attr("availabilityStartTime", DashFormat.dateTime(mpd.availabilityStartTime()));
    }
    if (mpd.publishTime() != null) {
      x.attr("publishTime", DashFormat.dateTime(mpd.publishTime()));
    }
    x.duration("mediaPresentationDuration", mpd.mediaPresentationDurationMillis())
        .duration("minimumUpdatePeriod", mpd.minimumUpdatePeriodMillis())
        .duration("minBufferTime", mpd.minBufferTimeMillis())
        .duration("timeShiftBufferDepth", mpd.timeShiftBufferDepthMillis())
        .duration("suggestedPresentationDelay", mpd.suggestedPresentationDelayMillis())
        .duration("maxSegmentDuration", mpd.maxSegmentDurationMillis())
        .endOpen();
    // MPDtype sequence: ... ServiceDescription, ..., Period+, ..., UTCTiming*.
    if (mpd.serviceDescription() != null) {
      serviceDescription(x, mpd.serviceDescription());
    }
    for (DashPeriod p : mpd.periods()) {
      period(x, p);
    }
    for (UtcTiming t : mpd.utcTimings()) {
      utcTiming(x, "UTCTiming", t);
    }
    x.close("MPD");
    return x.out.toString();
  }

  private static void serviceDescription(Xml x, ServiceDescription sd) {
    x.open("ServiceDescription").attr("id", sd.id()).endOpen();
    // ServiceDescriptionType sequence: Scope*, Latency*, PlaybackRate*.
    x.open("Latency")
        .attr("referenceId", sd.referenceId())
        .attr("target", sd.targetLatencyMillis());
    if (sd.maxLatencyMillis() != null) {
      x.attr("max", sd.maxLatencyMillis());
    }
    if (sd.minLatencyMillis() != null) {
      x.attr("min", sd.minLatencyMillis());
    }
    x.empty();
    x.open("PlaybackRate")
        .attr("max", DashFormat.decimal(sd.maxPlaybackRate()))
        .attr("min", DashFormat.decimal(sd.minPlaybackRate()))
        .empty();
    x.close("ServiceDescription");
  }

  private static void period(Xml x, DashPeriod p) {
    x.open("Period")
        .attr("id", p.id())
        .duration("start", p.startMillis())
        .duration("duration", p.durationMillis())
        .endOpen();
    for (DashAdaptationSet a : p.adaptationSets()) {
      adaptationSet(x, a);
    }
    x.close("Period");
  }

  private static void adaptationSet(Xml x, DashAdaptationSet a) {
    x.open("AdaptationSet")
        .attr("id", a.id())
        .attr("contentType", a.contentType())
        .attr("mimeType", a.mimeType());
    if (a.lang() != null) {
      x.attr("lang", a.lang());
    }
    // All Representations are cut on one grid and start every segment with a keyframe
    // (§5.3.3.2 segmentAlignment; startWithSAP 1: closed GOP, §4.5.2).
    x.attr("segmentAlignment", "true").attr("startWithSAP", 1).endOpen();
    // RepresentationBaseType sequence: ..., AudioChannelConfiguration*, ...,
    // ProducerReferenceTime*; then AdaptationSetType's: ..., SegmentTemplate?, Representation*.
    if (a.audioChannels() > 0) {
      x.open("AudioChannelConfiguration")
          .attr("schemeIdUri", "urn:mpeg:mpegB:cicp:ChannelConfiguration")
          .attr("value", a.audioChannels())
          .empty();
    }
    if (a.producerReferenceTime() != null) {
      producerReferenceTime(x, a.producerReferenceTime());
    }
    if (a.template() != null) {
      template(x, a.template());
    }
    for (DashRepresentation r : a.representations()) {
      representation(x, r);
    }
    x.close("AdaptationSet");
  }

  private static void producerReferenceTime(Xml x, ProducerReferenceTime prt) {
    x.open("ProducerReferenceTime")
        .attr("id", prt.id())
        .attr("inband", Boolean.toString(prt.inband()))
        .attr("type", prt.type())
        .attr("wallClockTime", DashFormat.dateTime(prt.wallClockTime()))
        .attr("presentationTime", prt.presentationTime());
    if (prt.utcTiming() == null) {
      x.empty();
      return;
    }
    x.endOpen();
    utcTiming(x, "UTCTiming", prt.utcTiming());
    x.close("ProducerReferenceTime");
  }

  private static void representation(Xml x, DashRepresentation r) {
    x.open("Representation")
        .attr("id", r.id())
        .attr("bandwidth", r.bandwidth())
        .attr("codecs", r.codecs());
    if (r.width() > 0) {
      x.attr("width", r.width()).attr("height", r.height());
    }
    if (r.frameRate() != null) {
      x.attr("frameRate", r.frameRate());
    }
    if (r.audioSamplingRate() > 0) {
      x.attr("audioSamplingRate", r.audioSamplingRate());
    }
    if (r.template() == null) {
      x.empty();
      return;
    }
    x.endOpen();
    template(x, r.template());
    x.close("Representation");
  }

  private static void template(Xml x, DashSegmentTemplate t) {
    x.open("SegmentTemplate").attr("timescale", t.timescale());
    // §5.3.9.2: @duration only without a SegmentTimeline.
    if (t.timeline() == null) {
      x.attr("duration", t.duration());
    }
    x.attr("startNumber", t.startNumber());
    if (t.endNumber() != null) {
      x.attr("endNumber", t.endNumber());
    }
    if (t.presentationTimeOffset() != 0) {
      x.attr("presentationTimeOffset", t.presentationTimeOffset());
    }
    x.attr("initialization", t.initialization()).attr("media", t.media());
    if (t.availabilityTimeOffset() != null) {
      x.attr("availabilityTimeOffset", DashFormat.decimal(t.availabilityTimeOffset()));
    }
    if (t.availabilityTimeComplete() != null) {
      x.attr("availabilityTimeComplete", t.availabilityTimeComplete().toString());
    }
    if (t.timeline() == null) {
      x.empty();
      return;
    }
    // MultipleSegmentBaseType sequence: ..., SegmentTimeline?, BitstreamSwitching?.
    x.endOpen();
    x.open("SegmentTimeline").endOpen();
    for (DashTimelineEntry s : t.timeline()) {
      x.open("S");
      if (s.time() != null) {
        x.attr("t", s.time());
      }
      x.attr("d", s.duration());
      // §5.3.9.6: S@r defaults to 0, one Segment.
      if (s.repeat() != 0) {
        x.attr("r", s.repeat());
      }
      x.empty();
    }
    x.close("SegmentTimeline");
    x.close("SegmentTemplate");
  }

  private static void utcTiming(Xml x, String element, UtcTiming t) {
    x.open(element).attr("schemeIdUri", t.schemeIdUri()).attr("value", t.value()).empty();
  }

  /** A tiny indenting XML builder: open, attributes, then {@code empty()} or {@code endOpen()}. */
  private static final class Xml {
    final StringBuilder out = new StringBuilder(4096);
    private int depth;

    Xml open(String name) {
      out.append("  ".repeat(depth)).append('<').append(name);
      return this;
    }

    Xml attr(String name, String value) {
      out.append(' ').append(name).append("=\"");
      escape(value);
      out.append('"');
      return this;
    }

    Xml attr(String name, long value) {
      out.append(' ').append(name).append("=\"").append(value).append('"');
      return this;
    }

    Xml duration(String name, Long millis) {
      return millis == null ? this : attr(name, DashFormat.duration(millis));
    }

    void endOpen() {
      out.append(">\n");
      depth++;
    }

    void empty() {
      out.append("/>\n");
    }

    void close(String name) {
      depth--;
      out.append("  ".repeat(depth)).append("</").append(name).append(">\n");
    }

    private void escape(String value) {
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        switch (c) {
          case '&' -> out.append("&amp;");
          case '<' -> out.append("&lt;");
          case '>' -> out.append("&gt;");
          case '"' -> out.append("&quot;");
          default -> out.append(c);
        }
      }
    }
  }
}
