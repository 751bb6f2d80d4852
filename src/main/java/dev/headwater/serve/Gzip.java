package dev.headwater.serve;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.GZIPOutputStream;

/** Gzips a playlist once per snapshot (RFC 8216bis 6.2.1 and [AUTH] 10.1: playlists are gzip-encoded). */
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

  /** True when Accept-Encoding allows gzip (a {@code q=0} weight refuses it). */
  static boolean accepted(String acceptEncoding) {
    if (acceptEncoding == null) {
      return false;
    }
    for (String part : acceptEncoding.split(",")) {
      String[] fields = part.trim().split(";");
      String name = fields[0].trim();
      if (!name.equalsIgnoreCase("gzip") && !name.equals("*")) {
        continue;
      }
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
      return q > 0;
    }
    return false;
  }
}
