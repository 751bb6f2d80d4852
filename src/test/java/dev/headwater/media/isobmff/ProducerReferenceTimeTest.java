package dev.headwater.media.isobmff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headwater.media.Bytes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProducerReferenceTimeTest {
  @Test
  void readsNtpWallClockBeforeMoof() {
    byte[] prft = {
      0,
      0,
      0,
      28,
      'p',
      'r',
      'f',
      't', // size 28, type
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      1, // version 0, flags 0, reference_track_ID 1
      (byte) 0xEA,
      (byte) 0xD8,
      (byte) 0xB9,
      (byte) 0x80,
      (byte) 0x80,
      0,
      0,
      0, // ntp: 3940071808 s + 0.5 s
      0,
      0,
      0,
      0, // media_time
      0,
      0,
      0,
      8,
      'm',
      'o',
      'o',
      'f' // the fragment follows
    };
    // 3940071808 - 2208988800 = 1731083008 s since 1970
    assertEquals(1_731_083_008_500L, ProducerReferenceTime.unixMillis(Bytes.wrap(prft)));
  }

  @Test
  void answersMinusOneWithoutPrft() {
    assertEquals(
        -1,
        ProducerReferenceTime.unixMillis(Bytes.wrap(new byte[] {0, 0, 0, 8, 'm', 'o', 'o', 'f'})));
    assertEquals(-1, ProducerReferenceTime.unixMillis(Bytes.wrap(new byte[] {0, 0, 0, 3})));
    assertEquals(-1, ProducerReferenceTime.unixMillis(Bytes.EMPTY));
  }

  @Test
  void everyFfmpegFragmentCarriesANonDecreasingWallClock() throws Exception {
    byte[] file =
        Files.readAllBytes(Path.of("src/test/resources/fixtures/cmaf/video-cmaf-prft.mp4"));
    Fmp4ReadResult r = new Fmp4StreamReader(1 << 20).push(file, 0, file.length);
    List<Long> times = new ArrayList<>();
    for (Fmp4Item item : r.items()) {
      if (item instanceof Fragment f) {
        times.add(ProducerReferenceTime.unixMillis(f.bytes()));
      }
    }
    assertTrue(times.size() > 10);
    for (int i = 0; i < times.size(); i++) {
      assertTrue(times.get(i) > 1_600_000_000_000L, "a 2020s wall clock: " + times.get(i));
      if (i > 0) {
        assertTrue(times.get(i) >= times.get(i - 1));
      }
    }
  }
}
