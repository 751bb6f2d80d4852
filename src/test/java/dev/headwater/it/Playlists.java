package dev.headwater.it;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough M3U8 reading for tests (the server's writer is tested against golden files
 * elsewhere).
 */
final class Playlists {
  private Playlists() {}

  record Part(long msn, int index, String uri, double duration, boolean independent) {}

  record Media(
      String text,
      long mediaSequence,
      long lastMsn,
      int lastPart,
      boolean lastComplete,
      List<Part> parts,
      List<String> segmentUris,
      String hint) {
    boolean ended() {
      return text.contains("#EXT-X-ENDLIST");
    }
  }

  static Media parse(String text) {
    long seq = Long.parseLong(attr(text, "#EXT-X-MEDIA-SEQUENCE:(\\d+)"));
    String skipped = attr(text, "#EXT-X-SKIP:SKIPPED-SEGMENTS=(\\d+)");
    long msn = seq + (skipped == null ? 0 : Long.parseLong(skipped));
    int index = 0;
    List<Part> parts = new ArrayList<>();
    List<String> segments = new ArrayList<>();
    boolean afterExtinf = false;
    boolean lastComplete = true;
    for (String line : text.split("\n")) {
      if (line.startsWith("#EXT-X-PART:")) {
        parts.add(
            new Part(
                msn,
                index++,
                attr(line, "URI=\"([^\"]+)\""),
                Double.parseDouble(attr(line, "DURATION=([0-9.]+)")),
                line.contains("INDEPENDENT=YES")));
        lastComplete = false;
      } else if (line.startsWith("#EXTINF:")) {
        afterExtinf = true;
      } else if (afterExtinf && !line.startsWith("#")) {
        segments.add(line.trim());
        afterExtinf = false;
        msn++;
        index = 0;
        lastComplete = true;
      }
    }
    long lastMsn = lastComplete ? msn - 1 : msn;
    int lastPart = parts.isEmpty() ? -1 : parts.get(parts.size() - 1).index();
    return new Media(
        text,
        seq,
        lastMsn,
        lastPart,
        lastComplete,
        parts,
        segments,
        attr(text, "#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"([^\"]+)\""));
  }

  static String attr(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    return m.find() ? m.group(1) : null;
  }

  static List<String> all(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    List<String> out = new ArrayList<>();
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }
}
