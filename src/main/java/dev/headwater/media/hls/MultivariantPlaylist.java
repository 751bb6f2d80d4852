package dev.headwater.media.hls;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A Multivariant Playlist, rendered by {@link MultivariantPlaylistWriter}. Variants are written in
 * the given order; listing the lowest bandwidth first is conventional.
 *
 * @param variants at least one Variant Stream
 * @param audio audio renditions referenced by the variants' AUDIO groups
 * @param independentSegments write EXT-X-INDEPENDENT-SEGMENTS (§4.4.2.1): every segment of every
 *     media playlist starts with an independent frame
 */
public record MultivariantPlaylist(
    List<Variant> variants, List<AudioRendition> audio, boolean independentSegments) {

  public MultivariantPlaylist {
    variants = variants == null ? List.of() : List.copyOf(variants);
    audio = audio == null ? List.of() : List.copyOf(audio);
    if (variants.isEmpty()) {
      throw new IllegalArgumentException("a multivariant playlist needs at least one variant");
    }
    Set<String> groups = new HashSet<>();
    Set<String> defaults = new HashSet<>();
    Set<String> names = new HashSet<>();
    for (AudioRendition rendition : audio) {
      groups.add(rendition.groupId());
      // §4.4.6.1.1: NAMEs differ within a group, and a group has at most one DEFAULT=YES member.
      if (!names.add(rendition.groupId() + '\n' + rendition.name())) {
        throw new IllegalArgumentException("duplicate NAME in audio group " + rendition.groupId());
      }
      if (rendition.isDefault() && !defaults.add(rendition.groupId())) {
        throw new IllegalArgumentException(
            "more than one DEFAULT=YES in audio group " + rendition.groupId());
      }
    }
    for (Variant variant : variants) {
      // §4.4.6.2: AUDIO MUST match the GROUP-ID of an EXT-X-MEDIA tag of TYPE=AUDIO.
      if (variant.audioGroup() != null && !groups.contains(variant.audioGroup())) {
        throw new IllegalArgumentException(
            "variant " + variant.uri() + " references unknown audio group " + variant.audioGroup());
      }
    }
  }
}
