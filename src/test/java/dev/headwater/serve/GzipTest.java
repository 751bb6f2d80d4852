package dev.headwater.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GzipTest {

  @ParameterizedTest(name = "[{0}] -> {1}")
  @CsvSource(
      delimiter = '|',
      nullValues = "NULL",
      value = {
        "gzip                  | true",
        "gzip, deflate, br     | true",
        "deflate, gzip         | true",
        "GZIP                  | true",
        "deflate               | false",
        "br, deflate           | false",
        "gzip;q=0              | false",
        "gzip;q=0.0            | false",
        "gzip; q=0.5           | true",
        "gzip;q=abc            | false",
        "*;q=0.5               | true",
        "*                     | true",
        "*;q=0                 | false",
        "gzip;q=0, *           | false",
        "identity              | false",
        "''                    | false",
        "NULL                  | false"
      })
  void accepted(String acceptEncoding, boolean expected) {
    assertEquals(expected, Gzip.accepted(acceptEncoding));
  }

  @Test
  void explicitGzipOverridesRefusedWildcard() {
    assertEquals(true, Gzip.accepted("*;q=0, gzip"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "#EXTM3U\n", "#EXTM3U\n#EXT-X-VERSION:9\n#EXT-X-TARGETDURATION:2\n"})
  void roundTrip(String text) throws IOException {
    byte[] plain = text.getBytes(StandardCharsets.UTF_8);
    assertArrayEquals(plain, gunzip(Gzip.gzip(plain)));
  }

  @Test
  void roundTripLargePlaylistAndCompresses() throws IOException {
    StringBuilder sb = new StringBuilder("#EXTM3U\n");
    for (int i = 0; i < 2_000; i++) {
      sb.append("#EXT-X-PART:DURATION=0.200,URI=\"p").append(i).append(".m4s\"\n");
    }
    byte[] plain = sb.toString().getBytes(StandardCharsets.UTF_8);
    byte[] zipped = Gzip.gzip(plain);
    assertArrayEquals(plain, gunzip(zipped));
    assertEquals(
        true,
        zipped.length < plain.length / 4,
        "compressed " + plain.length + " -> " + zipped.length);
  }

  private static byte[] gunzip(byte[] gz) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      return in.readAllBytes();
    }
  }
}
