package dev.headwater.media.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.headwater.media.FuzzSeeds;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the parsing of the Delivery Directives (§6.2.5) from a playlist request's query string: it
 * never throws; accepted values follow the rules ({@code _HLS_msn} and {@code _HLS_part} plain
 * decimal-integers, part only with msn, skip only YES or v2); a 400 is given only for a value that
 * breaks them; and the canonical query of an accepted result parses to the same result.
 *
 * <p>Input: the raw query string, as UTF-8 (seeds are readable queries). It is split and
 * percent-decoded the way Vert.x's {@code getParam} sees it: first value of each name wins.
 *
 * <p>Seeds: {@code DeliveryDirectivesFuzzTestInputs/parse/}, written by {@link #seeds()} ({@link
 * FuzzSeeds}).
 */
class DeliveryDirectivesFuzzTest {

  @FuzzTest(maxDuration = "20s")
  void parse(byte[] input) {
    Map<String, String> q = query(new String(input, StandardCharsets.UTF_8));
    String msn = q.get("_HLS_msn");
    String part = q.get("_HLS_part");
    String skip = q.get("_HLS_skip");
    DirectiveParse parsed = DeliveryDirectives.parse(msn, part, skip);
    assertNotNull(parsed);

    boolean msnOk = msn == null || isDecimalLong(msn);
    boolean partOk = part == null || (isDecimalLong(part) && msn != null);
    if (parsed instanceof DirectiveError e) {
      assertEquals(DirectiveError.BAD_REQUEST, e.status());
      assertFalse(e.message().isEmpty());
      assertFalse(msnOk && partOk, "400 for valid directives: " + q);
      return;
    }
    DeliveryDirectives d = (DeliveryDirectives) parsed;
    assertTrue(msnOk && partOk, "accepted invalid directives: " + q);
    assertEquals(msn == null ? null : Long.valueOf(msn), d.msn());
    assertEquals(part == null ? null : Long.valueOf(part), d.part());
    SkipRequest expectedSkip =
        "YES".equals(skip) ? SkipRequest.YES : "v2".equals(skip) ? SkipRequest.V2 : SkipRequest.NO;
    assertEquals(expectedSkip, d.skip());
    assertEquals(d.msn() != null, d.isBlocking());

    Map<String, String> canonical = query(render(d));
    assertEquals(
        d,
        DeliveryDirectives.parse(
            canonical.get("_HLS_msn"), canonical.get("_HLS_part"), canonical.get("_HLS_skip")),
        "the canonical query does not parse back");
  }

  /**
   * §4.2: a decimal-integer is 1 to 20 characters from [0..9]; the documented decision limits its
   * value to what a Java long holds.
   */
  private static boolean isDecimalLong(String s) {
    if (s.isEmpty() || s.length() > 20 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return false;
    }
    String digits = s.replaceFirst("^0+(?=.)", "");
    return digits.length() < 19
        || (digits.length() == 19 && digits.compareTo(String.valueOf(Long.MAX_VALUE)) <= 0);
  }

  /** The shortest query that asks for {@code d}. */
  private static String render(DeliveryDirectives d) {
    StringBuilder s = new StringBuilder();
    if (d.msn() != null) {
      s.append("_HLS_msn=").append(d.msn());
    }
    if (d.part() != null) {
      s.append("&_HLS_part=").append(d.part());
    }
    if (d.skip() != SkipRequest.NO) {
      s.append(s.length() == 0 ? "" : "&")
          .append("_HLS_skip=")
          .append(d.skip() == SkipRequest.YES ? "YES" : "v2");
    }
    return s.toString();
  }

  /**
   * Splits at '&amp;' and the first '=', decodes '+' and %XX (a malformed escape stays literal),
   * and keeps the first value of each name, as {@code HttpServerRequest.getParam} returns it.
   */
  static Map<String, String> query(String raw) {
    Map<String, String> out = new HashMap<>();
    for (String pair : raw.split("&", -1)) {
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      out.putIfAbsent(name, value);
    }
    return out;
  }

  private static String decode(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < b.length; i++) {
      int hi = i + 2 < b.length ? Character.digit(b[i + 1], 16) : -1;
      int lo = i + 2 < b.length ? Character.digit(b[i + 2], 16) : -1;
      if (b[i] == '%' && hi >= 0 && lo >= 0) {
        out.write(hi << 4 | lo);
        i += 2;
      } else {
        out.write(b[i] == '+' ? ' ' : b[i]);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void seedCorpusIsCommitted() {
    FuzzSeeds.check(DeliveryDirectivesFuzzTest.class, "parse", seeds());
  }

  /** Seed inputs: the queries players send, and the near misses the rules refuse. */
  static Map<String, byte[]> seeds() {
    Map<String, byte[]> seeds = new LinkedHashMap<>();
    String[][] queries = {
      {"msn-part-skip", "_HLS_msn=273&_HLS_part=2&_HLS_skip=YES"},
      {"msn-only", "_HLS_msn=5"},
      {"skip-v2", "_HLS_skip=v2"},
      {"part-without-msn", "_HLS_part=1"},
      {"largest-msn", "_HLS_msn=9223372036854775807&_HLS_part=0"},
      {"beyond-long", "_HLS_msn=9223372036854775808"},
      {"escaped-and-repeated", "_HLS_msn=%32%37&_HLS_msn=3&_HLS_part=+1&other=x"},
      {"signed-and-empty", "_HLS_msn=-1&_HLS_part="},
    };
    for (String[] q : queries) {
      seeds.put(q[0], q[1].getBytes(StandardCharsets.UTF_8));
    }
    return seeds;
  }
}
