package dev.headwater.media.hls;

/**
 * An EXT-X-MEDIA tag of TYPE=AUDIO (§4.4.6.1).
 *
 * @param groupId GROUP-ID that variants reference with AUDIO
 * @param name NAME, unique within the group
 * @param uri URI of the rendition's Media Playlist
 * @param isDefault DEFAULT=YES; at most one per group
 * @param language LANGUAGE (RFC 5646 tag), or null to omit
 * @param channels CHANNELS count; 0 = omit
 */
public record AudioRendition(
    String groupId, String name, String uri, boolean isDefault, String language, int channels) {

  public AudioRendition {
    HlsText.quotable(groupId, "GROUP-ID");
    HlsText.quotable(name, "NAME");
    HlsText.quotable(uri, "rendition URI");
    if (language != null) {
      HlsText.quotable(language, "LANGUAGE");
    }
    if (channels < 0) {
      throw new IllegalArgumentException("CHANNELS must be >= 0: " + channels);
    }
  }
}
