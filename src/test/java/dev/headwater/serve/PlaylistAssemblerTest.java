package dev.headwater.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headwater.config.HeadwaterConfig;
import dev.headwater.media.Bytes;
import dev.headwater.media.hls.MediaPlaylist;
import dev.headwater.media.hls.MediaPlaylistWriter;
import dev.headwater.media.hls.MultivariantPlaylist;
import dev.headwater.media.hls.MultivariantPlaylistWriter;
import dev.headwater.media.hls.PlaylistPosition;
import dev.headwater.media.hls.Variant;
import dev.headwater.timeline.InitSection;
import dev.headwater.timeline.RenditionKind;
import dev.headwater.timeline.RenditionSpec;
import dev.headwater.timeline.RenditionTimeline;
import dev.headwater.timeline.StreamSnapshot;
import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PlaylistAssemblerTest {
  private static final long ANCHOR = 1_700_000_000_000L;
  private static final String SESSION = "SESSION";
  private static final HeadwaterConfig.Hls HLS = HeadwaterConfig.defaults().hls();
  private static final RenditionSpec VIDEO =
      new RenditionSpec("720p", RenditionKind.VIDEO, 720, 3_440_800, 3_074_400, 30);
  private static final RenditionSpec AUDIO =
      new RenditionSpec("audio", RenditionKind.AUDIO, 0, 140_800, 140_800, 0);

  private final PlaylistAssembler assembler = new PlaylistAssembler(HLS);
  private RenditionTimeline video;
  private RenditionTimeline audio;

  private static InitSection videoInit(int id) {
    return new InitSection(id, Buffer.buffer(new byte[] {1}), "avc1.64001f", 1280, 720, 90_000, 0);
  }

  private static InitSection audioInit(int id) {
    return new InitSection(id, Buffer.buffer(new byte[] {2}), "mp4a.40.2", 0, 0, 48_000, 2);
  }

  /** Adds {@code parts} parts of 0.2 s; the first one opens a new segment. */
  private static void parts(RenditionTimeline t, long ticksPerPart, long start, int parts) {
    for (int i = 0; i < parts; i++) {
      t.addPart(
          Bytes.wrap(new byte[] {(byte) i}),
          start + i * ticksPerPart,
          ticksPerPart,
          i == 0,
          i == 0,
          0);
    }
  }

  private StreamSnapshot snapshot() {
    return new StreamSnapshot(
        "demo",
        SESSION,
        1,
        Instant.ofEpochMilli(ANCHOR),
        List.of(video.snapshot(), audio.snapshot()),
        false);
  }

  private String mediaText(StreamSnapshot s, String rendition) {
    return MediaPlaylistWriter.write(assembler.media(s, s.rendition(rendition)));
  }

  private static List<String> lines(String text) {
    return List.of(text.split("\n"));
  }

  private static long count(List<String> lines, String prefix) {
    return lines.stream().filter(l -> l.startsWith(prefix)).count();
  }

  @BeforeEach
  void buildTimelines() {
    video = new RenditionTimeline(VIDEO, HLS.windowSegments(), HLS.retainedSegmentsAfterRemoval());
    audio = new RenditionTimeline(AUDIO, HLS.windowSegments(), HLS.retainedSegmentsAfterRemoval());
    // video: run 1 = segments 0 and 1 (10 parts each), run 2 = open segment 2 with 3 parts
    video.startRun(videoInit(1), ANCHOR);
    parts(video, 18_000, 0, 10);
    parts(video, 18_000, 180_000, 10);
    video.startRun(videoInit(2), ANCHOR + 5_000);
    parts(video, 18_000, 0, 3);
    // audio: segment 0 complete, open segment 1 with 4 parts
    audio.startRun(audioInit(1), ANCHOR);
    parts(audio, 9_600, 0, 10);
    parts(audio, 9_600, 96_000, 4);
  }

  @Test
  void mediaPlaylistHeader() {
    List<String> l = lines(mediaText(snapshot(), "720p"));
    assertEquals("#EXTM3U", l.get(0));
    assertTrue(l.contains("#EXT-X-TARGETDURATION:2"), l.toString());
    assertTrue(
        l.contains(
            "#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,CAN-SKIP-UNTIL=12.000,PART-HOLD-BACK=0.600"),
        l.toString());
    assertTrue(l.contains("#EXT-X-PART-INF:PART-TARGET=0.200"), l.toString());
    assertTrue(l.contains("#EXT-X-MEDIA-SEQUENCE:0"), l.toString());
    assertTrue(l.contains("#EXT-X-DISCONTINUITY-SEQUENCE:0"), l.toString());
  }

  @Test
  void mapOnFirstSegmentAndAgainAfterRunChangeWithDiscontinuity() {
    List<String> l = lines(mediaText(snapshot(), "720p"));
    assertEquals(
        List.of("#EXT-X-MAP:URI=\"init-1.mp4\"", "#EXT-X-MAP:URI=\"init-2.mp4\""),
        l.stream().filter(x -> x.startsWith("#EXT-X-MAP")).toList());
    assertEquals(1, l.stream().filter("#EXT-X-DISCONTINUITY"::equals).count());
    int firstMap = l.indexOf("#EXT-X-MAP:URI=\"init-1.mp4\"");
    assertTrue(firstMap < l.indexOf("#EXT-X-PART:DURATION=0.200,URI=\"p0.m4s\",INDEPENDENT=YES"));
    int discontinuity = l.indexOf("#EXT-X-DISCONTINUITY");
    assertEquals(
        "s1.m4s", l.get(discontinuity - 1), "discontinuity follows the last segment of run 1");
    assertEquals("#EXT-X-MAP:URI=\"init-2.mp4\"", l.get(discontinuity + 1));
    assertEquals("#EXT-X-PROGRAM-DATE-TIME:2023-11-14T22:13:25.000Z", l.get(discontinuity + 2));
    assertEquals(
        "#EXT-X-PART:DURATION=0.200,URI=\"p20.m4s\",INDEPENDENT=YES", l.get(discontinuity + 3));
  }

  @Test
  void completeSegmentsHaveExtinfAndOpenSegmentOnlyParts() {
    List<String> l = lines(mediaText(snapshot(), "720p"));
    assertEquals(
        List.of("#EXTINF:2.000,", "#EXTINF:2.000,"),
        l.stream().filter(x -> x.startsWith("#EXTINF")).toList());
    assertTrue(l.contains("s0.m4s") && l.contains("s1.m4s"));
    assertFalse(l.contains("s2.m4s"), "open segment has no URI line");
    assertEquals(23, count(l, "#EXT-X-PART:"));
  }

  @Test
  void renditionReportForOtherRendition() {
    StreamSnapshot s = snapshot();
    List<String> videoLines = lines(mediaText(s, "720p"));
    assertEquals(
        List.of("#EXT-X-RENDITION-REPORT:URI=\"../audio/index.m3u8\",LAST-MSN=1,LAST-PART=3"),
        videoLines.stream().filter(x -> x.startsWith("#EXT-X-RENDITION-REPORT")).toList());
    List<String> audioLines = lines(mediaText(s, "audio"));
    assertEquals(
        List.of("#EXT-X-RENDITION-REPORT:URI=\"../720p/index.m3u8\",LAST-MSN=2,LAST-PART=2"),
        audioLines.stream().filter(x -> x.startsWith("#EXT-X-RENDITION-REPORT")).toList());
  }

  @Test
  void noReportForEmptyRendition() {
    RenditionTimeline empty = new RenditionTimeline(AUDIO, 30, 6);
    empty.startRun(audioInit(1), ANCHOR);
    StreamSnapshot s =
        new StreamSnapshot(
            "demo",
            SESSION,
            1,
            Instant.ofEpochMilli(ANCHOR),
            List.of(video.snapshot(), empty.snapshot()),
            false);
    assertTrue(assembler.media(s, s.rendition("720p")).renditionReports().isEmpty());
  }

  @Test
  void preloadHintNamesNextPart() {
    List<String> l = lines(mediaText(snapshot(), "720p"));
    assertEquals(
        "#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"p23.m4s\"",
        l.stream().filter(x -> x.startsWith("#EXT-X-PRELOAD-HINT")).findFirst().orElseThrow());
    assertFalse(l.contains("#EXT-X-ENDLIST"));
  }

  @Test
  void endedRenditionHasEndlistAndNoHintOrReports() {
    video.end();
    StreamSnapshot s = snapshot();
    MediaPlaylist p = assembler.media(s, s.rendition("720p"));
    assertTrue(p.endList());
    assertNull(p.preloadHint());
    List<String> l = lines(MediaPlaylistWriter.write(p));
    assertEquals("#EXT-X-ENDLIST", l.get(l.size() - 1));
    assertEquals(0, count(l, "#EXT-X-PRELOAD-HINT"));
    assertEquals(0, count(l, "#EXT-X-RENDITION-REPORT"));
    assertEquals(3, count(l, "#EXTINF:"));
    assertTrue(l.contains("#EXTINF:0.600,") && l.contains("s2.m4s"), l.toString());
  }

  @Test
  void slidWindowStartsWithMapAndCountsDiscontinuitiesThatLeft() {
    HeadwaterConfig.Hls small =
        new HeadwaterConfig.Hls(0.2, 2.0, 3, 6, 2, 12.0, 60.0, 16 * 1024 * 1024, "");
    PlaylistAssembler a = new PlaylistAssembler(small);
    RenditionTimeline t =
        new RenditionTimeline(VIDEO, small.windowSegments(), small.retainedSegmentsAfterRemoval());
    t.startRun(videoInit(1), ANCHOR);
    parts(t, 18_000, 0, 10); // 0
    parts(t, 18_000, 180_000, 10); // 1
    t.startRun(videoInit(2), ANCHOR);
    for (int msn = 2; msn <= 10; msn++) { // 2 is a discontinuity, 10 stays open
      parts(t, 18_000, (msn - 2) * 180_000L, msn == 10 ? 2 : 10);
    }
    StreamSnapshot s =
        new StreamSnapshot(
            "demo", SESSION, 1, Instant.ofEpochMilli(ANCHOR), List.of(t.snapshot()), false);
    List<String> l = lines(MediaPlaylistWriter.write(a.media(s, s.rendition("720p"))));
    assertTrue(l.contains("#EXT-X-MEDIA-SEQUENCE:4"), l.toString());
    assertTrue(l.contains("#EXT-X-DISCONTINUITY-SEQUENCE:1"), l.toString());
    assertFalse(l.contains("#EXT-X-DISCONTINUITY"), l.toString());
    assertEquals(
        List.of("#EXT-X-MAP:URI=\"init-2.mp4\""),
        l.stream().filter(x -> x.startsWith("#EXT-X-MAP")).toList());
    assertEquals(6, count(l, "#EXTINF:"));
    assertEquals("s4.m4s", l.stream().filter(x -> x.startsWith("s")).findFirst().orElseThrow());
  }

  @Test
  void positionOfEmptyRendition() {
    RenditionTimeline empty = new RenditionTimeline(VIDEO, 30, 6);
    assertEquals(
        new PlaylistPosition(-1, -1, true, false, 0.2, true), assembler.position(empty.snapshot()));
    empty.end();
    assertEquals(
        new PlaylistPosition(-1, -1, true, true, 0.2, true), assembler.position(empty.snapshot()));
    assertEquals(new PlaylistPosition(-1, -1, true, false, 0.2, true), assembler.position(null));
  }

  @Test
  void positionOfOpenSegment() {
    assertEquals(
        new PlaylistPosition(2, 2, false, false, 0.2, true), assembler.position(video.snapshot()));
    video.end();
    assertEquals(
        new PlaylistPosition(2, 2, true, true, 0.2, true), assembler.position(video.snapshot()));
  }

  @Test
  void positionAgreesWithWrittenPlaylist() {
    StreamSnapshot s = snapshot();
    for (String name : List.of("720p", "audio")) {
      assertEquals(
          PlaylistPosition.of(assembler.media(s, s.rendition(name))),
          assembler.position(s.rendition(name)),
          name);
    }
  }

  @Test
  void multivariantListsVideoVariantWithAudioGroup() {
    MultivariantPlaylist m = assembler.multivariant(snapshot());
    assertEquals(
        List.of(
            new Variant(
                "SESSION/720p/index.m3u8",
                3_440_800,
                3_074_400,
                "avc1.64001f,mp4a.40.2",
                1280,
                720,
                30,
                PlaylistAssembler.AUDIO_GROUP)),
        m.variants());
    assertEquals(1, m.audio().size());
    assertEquals("SESSION/audio/index.m3u8", m.audio().get(0).uri());
    assertTrue(m.independentSegments());

    List<String> l = lines(MultivariantPlaylistWriter.write(m));
    assertTrue(
        l.contains(
            "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"aud\",NAME=\"Main\",DEFAULT=YES,AUTOSELECT=YES,CHANNELS=\"2\","
                + "URI=\"SESSION/audio/index.m3u8\""),
        l.toString());
    int inf =
        l.indexOf(
            "#EXT-X-STREAM-INF:BANDWIDTH=3440800,AVERAGE-BANDWIDTH=3074400,CODECS=\"avc1.64001f,mp4a.40.2\","
                + "RESOLUTION=1280x720,FRAME-RATE=30.000,AUDIO=\"aud\"");
    assertTrue(inf > 0, l.toString());
    assertEquals("SESSION/720p/index.m3u8", l.get(inf + 1));
  }

  @Test
  void multivariantResolutionComesFromInitSection() {
    // spec says 720, the encoder produced 1278x718: the playlist tells the truth of the init
    // section
    RenditionTimeline odd = new RenditionTimeline(VIDEO, 30, 6);
    odd.startRun(new InitSection(1, Buffer.buffer(), "avc1.64001f", 1278, 718, 90_000, 0), ANCHOR);
    parts(odd, 18_000, 0, 1);
    StreamSnapshot s =
        new StreamSnapshot(
            "demo", SESSION, 1, Instant.ofEpochMilli(ANCHOR), List.of(odd.snapshot()), false);
    Variant v = assembler.multivariant(s).variants().get(0);
    assertEquals(1278, v.width());
    assertEquals(718, v.height());
    assertEquals("avc1.64001f", v.codecs(), "no audio codec without an audio rendition");
    assertNull(v.audioGroup());
  }

  @Test
  void startVariantIsListedFirst() {
    RenditionSpec low = new RenditionSpec("360p", RenditionKind.VIDEO, 360, 990_000, 880_000, 30);
    RenditionTimeline t = new RenditionTimeline(low, 30, 6);
    t.startRun(
        new InitSection(1, Buffer.buffer(new byte[] {3}), "avc1.64001e", 640, 360, 90_000, 0),
        ANCHOR);
    parts(t, 18_000, 0, 10);
    StreamSnapshot s =
        new StreamSnapshot(
            "demo",
            SESSION,
            1,
            Instant.ofEpochMilli(ANCHOR),
            List.of(video.snapshot(), t.snapshot(), audio.snapshot()),
            false);
    assertEquals(
        List.of(SESSION + "/720p/index.m3u8", SESSION + "/360p/index.m3u8"),
        assembler.multivariant(s).variants().stream().map(Variant::uri).toList(),
        "ladder order by default");
    HeadwaterConfig.Hls startLow =
        new HeadwaterConfig.Hls(0.2, 2.0, 3, 30, 6, 12.0, 60.0, 16 * 1024 * 1024, "360p");
    assertEquals(
        List.of(SESSION + "/360p/index.m3u8", SESSION + "/720p/index.m3u8"),
        new PlaylistAssembler(startLow)
            .multivariant(s).variants().stream().map(Variant::uri).toList());
    HeadwaterConfig.Hls absent =
        new HeadwaterConfig.Hls(0.2, 2.0, 3, 30, 6, 12.0, 60.0, 16 * 1024 * 1024, "1080p");
    assertEquals(
        SESSION + "/720p/index.m3u8",
        new PlaylistAssembler(absent).multivariant(s).variants().get(0).uri(),
        "a rung the source is too small for changes nothing");
  }
}
