package dev.headwater.encode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressParserTest {

  private static List<EncoderProgress> feed(ProgressParser parser, String block) {
    List<EncoderProgress> out = new ArrayList<>();
    for (String line : block.split("\n", -1)) {
      EncoderProgress p = parser.line(line);
      if (p != null) {
        out.add(p);
      }
    }
    return out;
  }

  private static final String BLOCK =
      """
      frame=120
      fps=29.97
      stream_0_0_q=23.0
      stream_1_0_q=21.0
      bitrate=1234.5kbits/s
      total_size=617250
      out_time_us=4000000
      out_time_ms=4000000
      out_time=00:00:04.000000
      dup_frames=1
      drop_frames=0
      speed=1.01x
      progress=continue
      """;

  @Test
  void realisticBlockYieldsOneProgress() {
    List<EncoderProgress> out = feed(new ProgressParser(), BLOCK);
    assertEquals(
        List.of(new EncoderProgress(120, 29.97, 1.01, 1234.5, 617_250, 4_000_000, false)), out);
  }

  @Test
  void linesBeforeProgressReturnNull() {
    ProgressParser parser = new ProgressParser();
    assertNull(parser.line("frame=1"));
    assertNull(parser.line("fps=30.00"));
    assertNotNull(parser.line("progress=continue"));
  }

  @Test
  void progressEndSetsEnd() {
    ProgressParser parser = new ProgressParser();
    feed(parser, BLOCK);
    List<EncoderProgress> out = feed(parser, "frame=150\nspeed=1.00x\nprogress=end\n");
    assertEquals(1, out.size());
    EncoderProgress last = out.get(0);
    assertTrue(last.end());
    assertEquals(150, last.frame());
    assertEquals(1.0, last.speed());
  }

  @Test
  void malformedValuesGiveNanOrMinusOneAndNeverThrow() {
    String block =
        """
        frame=abc
        fps=
        bitrate=12x4kbits/s
        total_size=N/A
        out_time_us=N/A
        speed=N/A
        progress=continue
        """;
    EncoderProgress p = feed(new ProgressParser(), block).get(0);
    assertEquals(-1, p.frame());
    assertTrue(Double.isNaN(p.fps()));
    assertTrue(Double.isNaN(p.bitrateKbps()));
    assertEquals(-1, p.totalSize());
    assertEquals(-1, p.outTimeMicros());
    assertTrue(Double.isNaN(p.speed()));
  }

  @Test
  void bitrateNotAvailableIsNan() {
    EncoderProgress p = feed(new ProgressParser(), "bitrate=N/A\nprogress=continue\n").get(0);
    assertTrue(Double.isNaN(p.bitrateKbps()));
  }

  @Test
  void malformedValueReplacesEarlierGoodValue() {
    ProgressParser parser = new ProgressParser();
    feed(parser, BLOCK);
    EncoderProgress p = feed(parser, "bitrate=N/A\nframe=x\nprogress=continue\n").get(0);
    assertTrue(Double.isNaN(p.bitrateKbps()));
    assertEquals(-1, p.frame());
  }

  @Test
  void missingValuesBeforeFirstBlockAreNanOrMinusOne() {
    EncoderProgress p = new ProgressParser().line("progress=continue");
    assertEquals(new EncoderProgress(-1, Double.NaN, Double.NaN, Double.NaN, -1, -1, false), p);
  }

  @Test
  void linesWithoutKeyAreIgnored() {
    ProgressParser parser = new ProgressParser();
    for (String line : List.of("", "garbage", "=5", "   ", "progress")) {
      assertNull(parser.line(line), line);
    }
    assertEquals(-1, parser.line("progress=continue").frame());
  }

  @Test
  void whitespaceAroundKeysAndValuesIsTrimmed() {
    EncoderProgress p =
        feed(new ProgressParser(), " frame = 7 \nfps= 25.0\nspeed= 2.5x \nprogress=continue")
            .get(0);
    assertEquals(7, p.frame());
    assertEquals(25.0, p.fps());
    assertEquals(2.5, p.speed());
  }
}
