package dev.headwater.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The encoder-health rules with a made-up clock (seconds turned into nanos). */
class EncoderHealthTest {
  private static final long S = 1_000_000_000L;
  private static final long WINDOW = 60 * S;
  private static final long SILENCE = 30 * S;

  /** Media every 100 ms from {@code from} to {@code to} seconds. */
  private static void feed(EncoderHealth h, double from, double to) {
    for (long t = Math.round(from * 10); t <= Math.round(to * 10); t++) {
      h.ingest(t * S / 10);
    }
  }

  @Test
  void aStreamThatProducesPartsIsHealthy() {
    EncoderHealth h = new EncoderHealth();
    feed(h, 0, 100);
    for (int t = 3; t <= 100; t++) {
      h.part(t * S);
    }
    assertNull(h.problem(100 * S, WINDOW, SILENCE));
  }

  @Test
  void mediaArrivingWithNoPartOutIsAProblemOnlyPastTheSilenceLimit() {
    EncoderHealth h = new EncoderHealth();
    feed(h, 0, 29);
    assertNull(h.problem(29 * S, WINDOW, SILENCE), "starting: the encoder still has time");
    feed(h, 29, 31);
    assertEquals(
        "publisher media arriving but no part out for 31 s", h.problem(31 * S, WINDOW, SILENCE));
  }

  @Test
  void anEncoderThatStopsProducingIsAProblemCountedFromItsLastPart() {
    EncoderHealth h = new EncoderHealth();
    feed(h, 0, 100);
    h.part(50 * S);
    assertNull(h.problem(79 * S, WINDOW, SILENCE));
    assertEquals(
        "publisher media arriving but no part out for 50 s", h.problem(100 * S, WINDOW, SILENCE));
  }

  @Test
  void anIdlePublisherIsNoProblem() {
    EncoderHealth h = new EncoderHealth();
    feed(h, 0, 10);
    h.part(5 * S);
    assertNull(h.problem(100 * S, WINDOW, SILENCE), "nothing arrives: nothing to encode");
    feed(h, 100, 120);
    assertNull(h.problem(120 * S, WINDOW, SILENCE), "media resumed 20 s ago: within the limit");
  }

  @Test
  void threeRestartsWithinTheWindowAreACrashLoop() {
    EncoderHealth h = new EncoderHealth();
    h.restart(0);
    h.restart(20 * S);
    assertNull(h.problem(30 * S, WINDOW, SILENCE));
    h.restart(50 * S);
    assertEquals("encoder restarted 3 times within 60 s", h.problem(55 * S, WINDOW, SILENCE));
    assertNull(h.problem(61 * S, WINDOW, SILENCE), "the first restart left the window");
  }
}
