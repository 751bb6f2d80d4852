package dev.headwater.media.avc;

import static dev.headwater.media.TestBytes.hexResource;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.Arrays;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AvcSpsTest {

  record Case(String name, byte[] encoded, AvcSps decoded) {}

  /** SPS units written by x264 via FFmpeg; see fixtures/avc/make-fixtures.sh. */
  static Stream<Arguments> x264() {
    return Stream.of(
            new Case(
                "1280x720 high",
                fixture("sps-1280x720-high.hex"),
                new AvcSps(100, 0x00, 31, 1, 1280, 720)),
            new Case(
                "640x360 main, bottom cropped",
                fixture("sps-640x360-main.hex"),
                new AvcSps(77, 0x40, 30, 1, 640, 360)),
            new Case(
                "854x480 high, right cropped",
                fixture("sps-854x480-high.hex"),
                new AvcSps(100, 0x00, 31, 1, 854, 480)),
            new Case(
                "320x240 constrained baseline",
                fixture("sps-320x240-baseline.hex"),
                new AvcSps(66, 0xC0, 13, 1, 320, 240)))
        .map(c -> Arguments.of(Named.of(c.name(), c)));
  }

  @ParameterizedTest
  @MethodSource("x264")
  void parsesPictureSizeFromRealSps(Case c) {
    assertEquals(c.decoded(), ok(AvcSps.parse(c.encoded())));
  }

  @Test
  void removesEmulationPreventionBytesBeforeParsing() {
    byte[] nal =
        new BitWriter()
            .u(8, 66)
            .u(8, 0)
            .u(8, 0) // profile, constraints, level 0
            .ue(63) // seq_parameter_set_id: many zero bits
            .ue(0)
            .ue(2)
            .ue(1)
            .u(1, 0) // frame num, poc type 2, refs, gaps
            .ue(19)
            .ue(14) // 20 x 15 macroblocks
            .u(1, 1)
            .u(1, 1)
            .u(1, 0)
            .u(1, 0) // frame_mbs_only, 8x8, no crop, no VUI
            .nal(0x67);
    assertArrayEquals(new byte[] {0x67, 0x42, 0x00, 0x00, 0x03, 0x02}, Arrays.copyOf(nal, 6));
    assertEquals(new AvcSps(66, 0, 0, 1, 320, 240), ok(AvcSps.parse(nal)));
  }

  @Test
  void handlesHighProfileScalingListsChroma444AndFieldCropping() {
    BitWriter w =
        new BitWriter()
            .u(8, 244)
            .u(8, 0)
            .u(8, 40) // High 4:4:4, level 4
            .ue(0) // seq_parameter_set_id
            .ue(3)
            .u(1, 0) // chroma 4:4:4, no separate planes
            .ue(2)
            .ue(2)
            .u(1, 0) // 10-bit, no bypass
            .u(1, 1); // seq_scaling_matrix_present_flag
    for (int i = 0; i < 12; i++) {
      if (i == 0) {
        w.u(1, 1).se(-8); // 4x4 list: nextScale 0 at once
      } else if (i == 6) {
        w.u(1, 1).se(1).se(-9); // 8x8 list: 9, then stop
      } else {
        w.u(1, 0);
      }
    }
    byte[] nal =
        w.ue(0)
            .ue(1) // frame num, poc type 1
            .u(1, 0)
            .se(-1)
            .se(2)
            .ue(2)
            .se(3)
            .se(-3) // poc cycle of two offsets
            .ue(4)
            .u(1, 0) // refs, gaps
            .ue(119)
            .ue(33) // 120 MBs x 34 field map units
            .u(1, 0)
            .u(1, 1) // fields, mb_adaptive_frame_field
            .u(1, 1) // direct_8x8_inference
            .u(1, 1)
            .ue(0)
            .ue(0)
            .ue(0)
            .ue(4) // crop 4 units (x2 lines) at the bottom
            .u(1, 0) // no VUI
            .nal(0x67);
    assertEquals(new AvcSps(244, 0, 40, 3, 1920, 1080), ok(AvcSps.parse(nal)));
  }

  @Test
  void reportsTruncatedAndNonSpsUnitsAsErrors() {
    byte[] sps = fixture("sps-1280x720-high.hex");
    assertInstanceOf(AvcResult.Error.class, AvcSps.parse(Arrays.copyOf(sps, 8)));
    assertInstanceOf(
        AvcResult.Error.class, AvcSps.parse(new byte[] {0x68, 0x01, 0x02, 0x03, 0x04}));
    assertInstanceOf(AvcResult.Error.class, AvcSps.parse(new byte[] {0x67, 0x42}));
    assertInstanceOf(AvcResult.Error.class, AvcSps.parse(sps, 10, sps.length));
    assertInstanceOf(
        AvcResult.Error.class,
        AvcSps.parse(new byte[] {0x67, 0x42, 0x00, 0x1F, 0x00, 0x00, 0x00, 0x00}));
  }

  @Property(tries = 2000)
  void parsingArbitraryBytesNeverThrows(@ForAll @Size(max = 40) byte[] bytes) {
    if (bytes.length > 0) {
      bytes[0] = 0x67;
    }
    assertNotNull(AvcSps.parse(bytes));
  }

  static byte[] fixture(String name) {
    return hexResource("/fixtures/avc/" + name);
  }

  static AvcSps ok(AvcResult<AvcSps> r) {
    return (AvcSps) assertInstanceOf(AvcResult.Ok.class, r, r.toString()).value();
  }
}
