package dev.headwater.loadtest;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** Just enough HLS playlist parsing for the load-test viewers (RFC 8216bis, LL-HLS). */
public final class Playlists {

  private Playlists() {}

  /** Resolves a playlist URI against the URL of the playlist that contains it. */
  public static String resolve(String playlistUrl, String uri) {
    return URI.create(playlistUrl).resolve(uri).toString();
  }

  /** Parses {@code KEY=VALUE,KEY="quoted,value"} attribute lists. */
  static Map<String, String> attributes(String list) {
    Map<String, String> out = new LinkedHashMap<>();
    int i = 0;
    int n = list.length();
    while (i < n) {
      int eq = list.indexOf('=', i);
      if (eq < 0) {
        break;
      }
      String key = list.substring(i, eq).trim();
      int j = eq + 1;
      String value;
      if (j < n && list.charAt(j) == '"') {
        int close = list.indexOf('"', j + 1);
        if (close < 0) {
          close = n;
        }
        value = list.substring(j + 1, close);
        j = close + 1;
      } else {
        int comma = list.indexOf(',', j);
        if (comma < 0) {
          comma = n;
        }
        value = list.substring(j, comma);
        j = comma;
      }
      out.put(key, value);
      while (j < n && list.charAt(j) == ',') {
        j++;
      }
      i = j;
    }
    return out;
  }

  // ------------------------------------------------------------------ multivariant

  public record Variant(long bandwidth, String resolution, String audioGroup, String url) {}

  public record Master(List<Variant> variants, Map<String, String> audioUrlByGroup, String anyAudioUrl) {

    /** Picks a video variant: "lowest", "highest" or "random" bandwidth. */
    public Variant pick(String how) {
      if (variants.isEmpty()) {
        throw new IllegalStateException("multivariant playlist lists no variant");
      }
      return switch (how) {
        case "highest" -> Collections.max(variants, (a, b) -> Long.compare(a.bandwidth(), b.bandwidth()));
        case "random" -> variants.get(ThreadLocalRandom.current().nextInt(variants.size()));
        default -> Collections.min(variants, (a, b) -> Long.compare(a.bandwidth(), b.bandwidth()));
      };
    }

    /** URL of the audio rendition the variant refers to (the group's DEFAULT one), or null. */
    public String audioFor(Variant v) {
      if (v.audioGroup() != null && audioUrlByGroup.containsKey(v.audioGroup())) {
        return audioUrlByGroup.get(v.audioGroup());
      }
      return anyAudioUrl;
    }
  }

  public static Master parseMaster(String masterUrl, String body) {
    List<Variant> variants = new ArrayList<>();
    Map<String, String> audio = new LinkedHashMap<>();
    String anyAudio = null;
    String[] lines = body.split("\r?\n");
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].trim();
      if (line.startsWith("#EXT-X-MEDIA:")) {
        Map<String, String> a = attributes(line.substring("#EXT-X-MEDIA:".length()));
        if ("AUDIO".equals(a.get("TYPE")) && a.containsKey("URI")) {
          String url = resolve(masterUrl, a.get("URI"));
          String group = a.get("GROUP-ID");
          if (!audio.containsKey(group) || "YES".equals(a.get("DEFAULT"))) {
            audio.put(group, url);
          }
          if (anyAudio == null || "YES".equals(a.get("DEFAULT"))) {
            anyAudio = url;
          }
        }
      } else if (line.startsWith("#EXT-X-STREAM-INF:")) {
        Map<String, String> a = attributes(line.substring("#EXT-X-STREAM-INF:".length()));
        String uri = null;
        for (int j = i + 1; j < lines.length; j++) {
          String next = lines[j].trim();
          if (!next.isEmpty() && !next.startsWith("#")) {
            uri = next;
            i = j;
            break;
          }
        }
        if (uri != null) {
          variants.add(new Variant(Long.parseLong(a.getOrDefault("BANDWIDTH", "0")),
              a.get("RESOLUTION"), a.get("AUDIO"), resolve(masterUrl, uri)));
        }
      }
    }
    return new Master(variants, audio, anyAudio);
  }

  // ------------------------------------------------------------------ media playlist

  /** Position of a partial segment: media sequence number and index within its segment. */
  public record PartPos(long msn, int part) implements Comparable<PartPos> {
    @Override
    public int compareTo(PartPos o) {
      return msn != o.msn ? Long.compare(msn, o.msn) : Integer.compare(part, o.part);
    }

    /** The part after this one, expressed the way a client asks for it: index + 1 in the same
     *  segment. If the segment ends before that index the server treats it as part 0 of the next. */
    public PartPos following() {
      return new PartPos(msn, part + 1);
    }
  }

  public record Part(PartPos pos, String uri, double duration) {}

  public record Segment(long msn, String uri, double duration) {}

  public record Media(
      long mediaSequence,
      int skipped,
      double targetDuration,
      double partTarget,
      double canSkipUntil,
      double partHoldBack,
      String mapUri,
      List<Segment> segments,
      List<Part> parts,
      String preloadHintUri,
      PartPos nextPart) {

    public boolean isDelta() {
      return skipped > 0;
    }
  }

  /** Parses a media playlist (full or delta). URIs stay relative. */
  public static Media parseMedia(String body) {
    long mediaSequence = 0;
    int skipped = 0;
    double targetDuration = 0;
    double partTarget = 0;
    double canSkipUntil = 0;
    double partHoldBack = 0;
    String map = null;
    String hint = null;
    List<Segment> segments = new ArrayList<>();
    List<Part> parts = new ArrayList<>();
    // MSN of the segment being described; assigned after MEDIA-SEQUENCE / SKIP are known.
    Long msn = null;
    int partIndex = 0;
    double pendingExtinf = -1;
    for (String raw : body.split("\r?\n")) {
      String line = raw.trim();
      if (line.isEmpty()) {
        continue;
      }
      if (line.startsWith("#EXT-X-MEDIA-SEQUENCE:")) {
        mediaSequence = Long.parseLong(line.substring(22).trim());
      } else if (line.startsWith("#EXT-X-TARGETDURATION:")) {
        targetDuration = Double.parseDouble(line.substring(22).trim());
      } else if (line.startsWith("#EXT-X-PART-INF:")) {
        partTarget = Double.parseDouble(attributes(line.substring(16)).getOrDefault("PART-TARGET", "0"));
      } else if (line.startsWith("#EXT-X-SERVER-CONTROL:")) {
        Map<String, String> a = attributes(line.substring(22));
        canSkipUntil = Double.parseDouble(a.getOrDefault("CAN-SKIP-UNTIL", "0"));
        partHoldBack = Double.parseDouble(a.getOrDefault("PART-HOLD-BACK", "0"));
      } else if (line.startsWith("#EXT-X-SKIP:")) {
        skipped = Integer.parseInt(attributes(line.substring(12)).getOrDefault("SKIPPED-SEGMENTS", "0"));
      } else if (line.startsWith("#EXT-X-MAP:")) {
        map = attributes(line.substring(11)).get("URI");
      } else if (line.startsWith("#EXT-X-PART:")) {
        if (msn == null) {
          msn = mediaSequence + skipped;
        }
        Map<String, String> a = attributes(line.substring(12));
        parts.add(new Part(new PartPos(msn, partIndex++), a.get("URI"),
            Double.parseDouble(a.getOrDefault("DURATION", "0"))));
      } else if (line.startsWith("#EXTINF:")) {
        if (msn == null) {
          msn = mediaSequence + skipped;
        }
        String d = line.substring(8);
        int comma = d.indexOf(',');
        pendingExtinf = Double.parseDouble(comma >= 0 ? d.substring(0, comma) : d);
      } else if (line.startsWith("#EXT-X-PRELOAD-HINT:")) {
        Map<String, String> a = attributes(line.substring(20));
        if ("PART".equals(a.get("TYPE"))) {
          hint = a.get("URI");
        }
      } else if (!line.startsWith("#")) {
        // a segment URI closes the segment
        if (msn == null) {
          msn = mediaSequence + skipped;
        }
        segments.add(new Segment(msn, line, pendingExtinf));
        pendingExtinf = -1;
        msn = msn + 1;
        partIndex = 0;
      }
    }
    long lastOpen = msn == null ? mediaSequence + skipped : msn;
    // next part to ask for: the part after the last listed one. If the last segment is
    // complete (partIndex reset to 0) that is part 0 of the next segment.
    PartPos next = new PartPos(lastOpen, partIndex);
    return new Media(mediaSequence, skipped, targetDuration, partTarget, canSkipUntil, partHoldBack,
        map, segments, parts, hint, next);
  }
}
