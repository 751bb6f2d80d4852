package dev.headwater.serve;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.GZIPOutputStream;

/**
 * Gzips a playlist once per snapshot (RFC 8216bis 6.2.1 and [AUTH] 10.1: playlists are
 * gzip-encoded).
 */
final class Gzip {
  private Gzip() {}

  static byte[] gzip(byte[] text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(text.length / 3 + 64);
    try (GZIPOutputStream gz = new GZIPOutputStream(out, 4096)) {
      gz.write(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * True when Accept-Encoding allows gzip: an explicit {@code gzip} entry decides by its weight;
   * otherwise a {@code *} entry does (RFC 9110 12.5.3: {@code *} covers codings not listed).
   */
  static boolean accepted(String acceptEncoding) {
    if (acceptEncoding == null) {
      return false;
    }
    Double gzip = null;
    Double any = null;
    for (String part : acceptEncoding.split(",")) {
      String[] fields = part.trim().split(";");
      String name = fields[0].trim();
      double q = 1;
      for (int i = 1; i < fields.length; i++) {
        String f = fields[i].trim();
        if (f.startsWith("q=")) {
          try {
            q = Double.parseDouble(f.substring(2));
          } catch (NumberFormatException e) {
            q = 0;
          }
        }
      }
      if (name.equalsIgnoreCase("gzip")) {
        gzip = q;
      } else if (name.equals("*")) {
        any = q;
      }
    }
    Double weight = gzip != null ? gzip : any;
    return weight != null && weight > 0;
  }
}
