package dev.headwater.media.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One table per rule of §6.2.5.2. Unless a table says otherwise the playlist is live, has parts
 * with PART-TARGET 0.5 s (Advance Part Limit 6 parts). Empty cells are absent directives.
 */
class BlockingDecisionTest {

  private static Decision decide(
      long lastMsn,
      long lastPart,
      boolean complete,
      boolean ended,
      double ptd,
      boolean hasParts,
      Long msn,
      Long part) {
    DeliveryDirectives directives = new DeliveryDirectives(msn, part, SkipRequest.NO);
    return BlockingDecision.decide(
        directives, new PlaylistPosition(lastMsn, lastPart, complete, ended, ptd, hasParts));
  }

  private static void assertDecision(String expected, Decision actual) {
    switch (expected) {
      case "READY" -> assertEquals(Decision.READY, actual);
      case "WAIT" -> assertEquals(Decision.WAIT, actual);
      case "BAD" -> assertInstanceOf(Decision.BadRequest.class, actual);
      default -> throw new IllegalArgumentException(expected);
    }
  }

  @Test
  void servesAtOnceWithoutMsn() {
    assertEquals(
        Decision.READY,
        BlockingDecision.decide(
            DeliveryDirectives.NONE, new PlaylistPosition(103, 1, false, false, 0.5, true)));
  }

  @ParameterizedTest(name = "_HLS_msn={0} _HLS_part={1} on an ended playlist -> {2}")
  @CsvSource({
    "500,   , READY",
    "106,  0, READY",
    "104, 90, READY",
    "103,  1, READY",
  })
  void ignoresMsnAndPartOnceEnded(Long msn, Long part, String expected) {
    assertDecision(expected, decide(103, 3, true, true, 0.5, true, msn, part));
  }

  @ParameterizedTest(name = "last segment 103: _HLS_msn={0} _HLS_part={1} -> {2}")
  @CsvSource({
    "105,  , WAIT",
    "106,  , BAD",
    "106, 0, BAD",
    "9999,  , BAD",
  })
  void rejectsMsnBeyondLastPlusTwo(Long msn, Long part, String expected) {
    assertDecision(expected, decide(103, 1, false, false, 0.5, true, msn, part));
  }

  @ParameterizedTest(name = "last 103/{0} complete={1}: _HLS_msn={2} -> {3}")
  @CsvSource({
    // Open last segment with parts: it is not "segment 103" until it has its URI line.
    "1, false, 103, WAIT",
    "1, false, 102, READY",
    "1, false, 104, WAIT",
    "3, true,  103, READY",
    "3, true,  104, WAIT",
    "3, true,  105, WAIT",
    // Old or already removed segments: answer at once with the whole playlist.
    "1, false,  50, READY",
    "1, false,   0, READY",
  })
  void answersMsnAloneOnceThePlaylistContainsThatSegmentComplete(
      long lastPart, boolean complete, long msn, String expected) {
    assertDecision(expected, decide(103, lastPart, complete, false, 0.5, true, msn, null));
  }

  @ParameterizedTest(name = "last 103/1 open: _HLS_msn={0} _HLS_part={1} -> {2}")
  @CsvSource({
    "103, 0, READY",
    "103, 1, READY",
    "103, 2, WAIT",
    "102, 3, READY",
    // Beyond the final part of closed 102: part 0 of 103, which exists.
    "102, 9, READY",
    "104, 0, WAIT",
    "10,  0, READY",
  })
  void answersPartOnceThatPartOrALaterOneIsPublished(long msn, long part, String expected) {
    assertDecision(expected, decide(103, 1, false, false, 0.5, true, msn, part));
  }

  @ParameterizedTest(name = "last 103/3 complete: _HLS_msn={0} _HLS_part={1} -> {2}")
  @CsvSource({
    "103,   3, READY",
    // Part 4 does not exist in closed 103: it means part 0 of 104.
    "103,   4, WAIT",
    // Still part 0 of 104, so within the Advance Part Limit.
    "103, 100, WAIT",
    "104,   0, WAIT",
  })
  void treatsPartBeyondCompletedParentAsPartZeroOfTheNext(long msn, long part, String expected) {
    assertDecision(expected, decide(103, 3, true, false, 0.5, true, msn, part));
  }

  @Test
  void satisfiesRolledOverRequestOnceNextParentHasPartZero() {
    DeliveryDirectives request = new DeliveryDirectives(103L, 4L, SkipRequest.NO);
    assertFalse(
        BlockingDecision.satisfied(request, new PlaylistPosition(103, 3, true, false, 0.5, true)));
    assertTrue(
        BlockingDecision.satisfied(request, new PlaylistPosition(104, 0, false, false, 0.5, true)));
  }

  @ParameterizedTest(name = "PART-TARGET {0}, last 103/1 open: _HLS_msn={1} _HLS_part={2} -> {3}")
  @CsvSource({
    // Limit 3 / 0.5 = 6 parts beyond the last published part (103/1).
    "0.5, 103,  7, WAIT",
    "0.5, 103,  8, BAD",
    "0.5, 104,  5, WAIT",
    "0.5, 104,  6, BAD",
    "0.5, 105,  4, WAIT",
    "0.5, 105,  5, BAD",
    // 3 / 0.2 = 15, despite 0.2 not being exact in binary.
    "0.2, 103, 16, WAIT",
    "0.2, 103, 17, BAD",
    // One second or more: 3 parts.
    "1.0, 103,  4, WAIT",
    "1.0, 103,  5, BAD",
    "2.0, 104,  2, WAIT",
    "2.0, 104,  3, BAD",
  })
  void rejectsPartBeyondTheAdvancePartLimit(double ptd, long msn, long part, String expected) {
    assertDecision(expected, decide(103, 1, false, false, ptd, true, msn, part));
  }

  @ParameterizedTest(name = "no parts, last 103: _HLS_msn={0} _HLS_part={1} -> {2}")
  @CsvSource({
    "103, 0, BAD",
    "104,  , WAIT",
    "103,  , READY",
  })
  void rejectsPartOnPlaylistWithoutParts(Long msn, Long part, String expected) {
    assertDecision(expected, decide(103, -1, true, false, 0, false, msn, part));
  }

  @ParameterizedTest(name = "open 104 without parts: _HLS_msn={0} _HLS_part={1} -> {2}")
  @CsvSource({
    // Part count of 103 unknown here: wait for 104's first part (at most one PART-TARGET).
    "103, 2, WAIT",
    "104, 0, WAIT",
    "103,  , READY",
    "102, 0, READY",
  })
  void waitsForFirstPartWhenTheOpenSegmentHasNone(Long msn, Long part, String expected) {
    assertDecision(expected, decide(104, -1, false, false, 0.5, true, msn, part));
  }

  @ParameterizedTest(name = "empty playlist starting at 0: _HLS_msn={0} _HLS_part={1} -> {2}")
  @CsvSource({
    "0, 0, WAIT",
    "1,  , WAIT",
    "2,  , BAD",
  })
  void waitsForTheFirstSegmentOfAnEmptyPlaylist(Long msn, Long part, String expected) {
    assertDecision(expected, decide(-1, -1, true, false, 0.5, true, msn, part));
  }

  @Test
  void satisfiedMatchesReadyForParkedRequests() {
    DeliveryDirectives request = new DeliveryDirectives(104L, 0L, SkipRequest.NO);
    assertFalse(
        BlockingDecision.satisfied(request, new PlaylistPosition(103, 3, false, false, 0.5, true)));
    assertFalse(
        BlockingDecision.satisfied(request, new PlaylistPosition(103, 3, true, false, 0.5, true)));
    assertTrue(
        BlockingDecision.satisfied(request, new PlaylistPosition(104, 0, false, false, 0.5, true)));
    assertTrue(
        BlockingDecision.satisfied(request, new PlaylistPosition(103, 3, true, true, 0.5, true)));
  }

  @ParameterizedTest(name = "PART-TARGET {0} -> {1} parts")
  @CsvSource({"0.2, 15", "0.25, 12", "0.333, 9", "0.5, 6", "0.9, 3", "1.0, 3", "2.0, 3"})
  void computesAdvancePartLimitFromPartTarget(double ptd, long limit) {
    assertEquals(limit, BlockingDecision.advancePartLimit(ptd));
  }
}
