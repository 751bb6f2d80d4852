package dev.headwater.media.isobmff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The reader against real FFmpeg output (src/test/resources/fixtures/cmaf/make-fixtures.sh).
 * Expected numbers come from ffprobe, e.g.
 *
 * <pre>
 * ffprobe -v error -count_packets -show_entries \
 *   stream=codec_name,profile,level,time_base,duration_ts,nb_read_packets,width,height,sample_rate,channels \
 *   -of compact video-160x90-30fps.mp4
 * stream|codec_name=h264|profile=High|width=160|height=90|level=11|time_base=1/90000|duration_ts=90000|nb_read_packets=30
 * stream|codec_name=aac|profile=LC|sample_rate=48000|channels=1|time_base=1/48000|duration_ts=49024|nb_read_packets=48
 * ffprobe -v error -show_entries packet=pts,flags -of csv video-160x90-30fps.mp4 | grep K
 * packet,0,K__   packet,45000,K__
 * </pre>
 */
class Fmp4StreamReaderFixtureTest {

  static final int MAX_BOX = 1 << 20;

  static final String VIDEO = "video-160x90-30fps.mp4";
  static final long VIDEO_DURATION_TS = 90_000;
  static final int VIDEO_PACKETS = 30;
  static final List<Long> VIDEO_KEYFRAME_PTS = List.of(0L, 45_000L);

  static final String AUDIO = "audio-aac-48k.mp4";
  static final long AUDIO_DURATION_TS = 49_024; // 47 x 1024 + a final 896-sample frame
  static final int AUDIO_PACKETS = 48;

  static final String CMAF_PRFT = "video-cmaf-prft.mp4";
  static final long CMAF_PRFT_DURATION_TS = 45_000;
  static final int CMAF_PRFT_PACKETS = 15;

  @Test
  void videoTrackInfo() {
    TestBytes.Collected c = TestBytes.readInChunks(TestBytes.resource(VIDEO), List.of(), MAX_BOX);
    assertNull(c.error());
    TrackInfo t = c.init().track();
    // avcC: configurationVersion 1, profile_idc 0x64 (High), compatibility 0x00, level_idc 0x0B
    // (1.1)
    assertEquals(new TrackInfo(1, "vide", 90_000, "avc1.64000B", 160, 90, 0, 0, 0, 0, 0), t);
    assertTrue(t.isVideo());
  }

  @Test
  void audioTrackInfo() {
    TestBytes.Collected c = TestBytes.readInChunks(TestBytes.resource(AUDIO), List.of(), MAX_BOX);
    assertNull(c.error());
    assertEquals(
        new TrackInfo(1, "soun", 48_000, "mp4a.40.2", 0, 0, 48_000, 1, 0, 0, 0), c.init().track());
  }

  @Test
  void videoFragmentsMatchFfprobe() {
    byte[] file = TestBytes.resource(VIDEO);
    TestBytes.Collected c = TestBytes.readInChunks(file, List.of(), MAX_BOX);
    assertNull(c.error());
    List<Fragment> fragments = c.fragments();
    assertEquals(VIDEO_PACKETS, fragments.size());
    assertEquals(VIDEO_DURATION_TS, fragments.stream().mapToLong(Fragment::duration).sum());
    List<Long> independent = new ArrayList<>();
    long expectedStart = 0;
    for (Fragment f : fragments) {
      assertEquals(1, f.sampleCount());
      assertEquals(1, f.trackId());
      assertEquals(expectedStart, f.baseMediaDecodeTime());
      assertEquals(3000, f.duration());
      expectedStart = f.endTime();
      if (f.independent()) {
        independent.add(f.baseMediaDecodeTime());
      }
    }
    assertEquals(VIDEO_KEYFRAME_PTS, independent);
  }

  @Test
  void audioFragmentsMatchFfprobe() {
    TestBytes.Collected c = TestBytes.readInChunks(TestBytes.resource(AUDIO), List.of(), MAX_BOX);
    assertNull(c.error());
    List<Fragment> fragments = c.fragments();
    assertEquals(AUDIO_PACKETS, fragments.size());
    assertEquals(AUDIO_DURATION_TS, fragments.stream().mapToLong(Fragment::duration).sum());
    assertTrue(
        fragments.stream().allMatch(Fragment::independent), "every AAC frame is a sync sample");
    assertEquals(1024, fragments.get(0).duration());
    assertEquals(896, fragments.get(AUDIO_PACKETS - 1).duration());
  }

  @Test
  void bytesAreKeptExactlyAndOnlyTheTrailerIsDropped() {
    for (String name : List.of(VIDEO, AUDIO)) {
      byte[] file = TestBytes.resource(name);
      TestBytes.Collected c = TestBytes.readInChunks(file, List.of(), MAX_BOX);
      byte[] joined = join(c.items());
      // Without +skip_trailer FFmpeg ends the file with an mfra box, which the reader drops.
      assertArrayEquals(Arrays.copyOf(file, joined.length), joined, name);
      BoxHeader trailer = BoxHeader.parse(file, joined.length, file.length - joined.length);
      assertEquals("mfra", trailer.typeName(), name);
      assertEquals(file.length, joined.length + trailer.size(), name);
    }
  }

  @Test
  void prftBoxesTravelWithTheirFragment() {
    byte[] file = TestBytes.resource(CMAF_PRFT);
    TestBytes.Collected c = TestBytes.readInChunks(file, List.of(), MAX_BOX);
    assertNull(c.error());
    assertArrayEquals(file, join(c.items()), "with +skip_trailer every byte is kept");
    List<Fragment> fragments = c.fragments();
    assertEquals(CMAF_PRFT_PACKETS, fragments.size());
    assertEquals(CMAF_PRFT_DURATION_TS, fragments.stream().mapToLong(Fragment::duration).sum());
    for (Fragment f : fragments) {
      byte[] b = f.bytes().toArray();
      assertEquals("prft", BoxHeader.parse(b, 0, b.length).typeName());
    }
    assertTrue(fragments.get(0).independent());
    assertFalse(fragments.get(1).independent());
  }

  @Test
  void everyTwoWaySplitGivesTheSameItems() {
    for (String name : List.of(VIDEO, AUDIO)) {
      byte[] file = TestBytes.resource(name);
      List<Fmp4Item> whole = TestBytes.readInChunks(file, List.of(), MAX_BOX).items();
      for (int split = 1; split < file.length; split++) {
        Fmp4StreamReader reader = new Fmp4StreamReader(MAX_BOX);
        List<Fmp4Item> items = new ArrayList<>(reader.push(file, 0, split).items());
        items.addAll(reader.push(file, split, file.length - split).items());
        if (!whole.equals(items)) {
          throw new AssertionError(name + " differs when split at " + split);
        }
      }
    }
  }

  @Test
  void byteByByteGivesTheSameItems() {
    byte[] file = TestBytes.resource(CMAF_PRFT);
    assertEquals(
        TestBytes.readInChunks(file, List.of(), MAX_BOX).items(),
        TestBytes.readInChunks(file, List.of(1), MAX_BOX).items());
  }

  static byte[] join(List<Fmp4Item> items) {
    List<byte[]> parts = new ArrayList<>();
    for (Fmp4Item i : items) {
      parts.add(i.bytes().toArray());
    }
    return TestBytes.concat(parts.toArray(new byte[0][]));
  }
}
