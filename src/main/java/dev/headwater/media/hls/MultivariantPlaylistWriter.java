package dev.headwater.media.hls;

/**
 * Renders a {@link MultivariantPlaylist}; the only code that writes Multivariant Playlist tags.
 * Audio renditions come first, then the variants in the given order. Lines end with LF.
 */
public final class MultivariantPlaylistWriter {

  private MultivariantPlaylistWriter() {}

  public static String write(MultivariantPlaylist playlist) {
    StringBuilder out = new StringBuilder(256 + 200 * playlist.variants().size());
    line(out, "#EXTM3U");
    line(out, "#EXT-X-VERSION:" + HlsVersion.forMultivariant(playlist));
    if (playlist.independentSegments()) {
      line(out, "#EXT-X-INDEPENDENT-SEGMENTS");
    }
    for (AudioRendition audio : playlist.audio()) {
      AttributeList attributes =
          new AttributeList()
              .raw("TYPE", "AUDIO")
              .quoted("GROUP-ID", audio.groupId())
              .quoted("NAME", audio.name());
      if (audio.language() != null) {
        attributes.quoted("LANGUAGE", audio.language());
      }
      // §4.4.6.1: AUTOSELECT MUST be YES when DEFAULT is YES; we let clients pick any rendition by
      // language.
      attributes.raw("DEFAULT", audio.isDefault() ? "YES" : "NO").raw("AUTOSELECT", "YES");
      if (audio.channels() > 0) {
        attributes.quoted("CHANNELS", Integer.toString(audio.channels()));
      }
      attributes.quoted("URI", audio.uri());
      line(out, "#EXT-X-MEDIA:" + attributes);
    }
    for (Variant variant : playlist.variants()) {
      AttributeList attributes = new AttributeList().integer("BANDWIDTH", variant.bandwidth());
      if (variant.averageBandwidth() > 0) {
        attributes.integer("AVERAGE-BANDWIDTH", variant.averageBandwidth());
      }
      attributes.quoted("CODECS", variant.codecs());
      if (variant.width() > 0) {
        attributes.raw("RESOLUTION", variant.width() + "x" + variant.height());
      }
      if (variant.frameRate() > 0) {
        attributes.raw("FRAME-RATE", HlsFormat.frameRate(variant.frameRate()));
      }
      if (variant.audioGroup() != null) {
        attributes.quoted("AUDIO", variant.audioGroup());
      }
      line(out, "#EXT-X-STREAM-INF:" + attributes);
      line(out, variant.uri());
    }
    return out.toString();
  }

  private static void line(StringBuilder out, String text) {
    out.append(text).append('\n');
  }
}
