package dev.headwater.media.hls;

/**
 * Blocking Playlist Reload (§6.2.5.2): whether a request with {@code _HLS_msn} / {@code _HLS_part}
 * can be answered now, must wait, or is refused.
 *
 * <p>Rules, in order:
 *
 * <ol>
 *   <li>No {@code _HLS_msn}: nothing to block on, READY.
 *   <li>ENDLIST: READY; the server MUST ignore {@code _HLS_msn} and {@code _HLS_part}.
 *   <li>{@code _HLS_msn} beyond the last segment's MSN + 2: BAD_REQUEST (SHOULD).
 *   <li>{@code _HLS_msn} alone: READY once the playlist contains segment M or a later one, else
 *       WAIT. An incomplete last segment does not count as segment M yet: a Media Segment is
 *       specified by its URI line (§4.4.4), which an open parent does not have. A client that wants
 *       the newest parts asks with {@code _HLS_part}. An MSN already in the playlist, or already
 *       removed from it, is READY at once (§6.2.5.2: the server MUST deliver the playlist even if
 *       the segment is no longer in it).
 *   <li>{@code _HLS_part} on a playlist without parts: BAD_REQUEST, since such a part can never
 *       appear and the request could only end in a 503 after blocking.
 *   <li>{@code _HLS_part} N beyond the last part of a completed parent is part 0 of the next parent
 *       (§6.2.5.2 MUST).
 *   <li>{@code _HLS_part} more than the Advance Part Limit ahead of the last published part:
 *       BAD_REQUEST (SHOULD). Parts not yet published in a segment that is still open cannot be
 *       counted, so the distance is a lower bound: (M - lastMsn) + N parts when M lies beyond the
 *       last segment.
 *   <li>{@code _HLS_msn} with {@code _HLS_part}: READY once part N of segment M or any later part
 *       is published, else WAIT.
 * </ol>
 *
 * <p>One case cannot be decided from a {@link PlaylistPosition}: the last segment is open but has
 * no part yet, and the request names a part of the segment before it. Whether that part exists
 * depends on the earlier segment's part count, which the position does not carry; the answer is
 * WAIT, which costs at most one part duration, never an unchanged playlist. {@link
 * PlaylistPosition#of} never builds such a position.
 */
public final class BlockingDecision {

  private BlockingDecision() {}

  public static Decision decide(DeliveryDirectives directives, PlaylistPosition position) {
    if (directives.msn() == null || position.ended()) {
      return Decision.READY;
    }
    long msn = directives.msn();
    // §6.2.5.2 SHOULD: an _HLS_msn more than two beyond the last segment is a Bad Request.
    if (msn > position.lastMsn() + 2) {
      return Decision.badRequest(
          "_HLS_msn " + msn + " is more than two segments beyond " + position.lastMsn());
    }
    if (directives.part() == null) {
      return hasSegment(msn, position) ? Decision.READY : Decision.WAIT;
    }
    if (!position.hasParts()) {
      return Decision.badRequest("_HLS_part on a playlist without partial segments");
    }
    long part = directives.part();
    // §6.2.5.2 MUST: a Part Index beyond the final part of its parent means part 0 of the next
    // parent.
    if (msn == position.lastMsn()
        && position.lastSegmentComplete()
        && part > position.lastPartIndex()) {
      msn = msn + 1;
      part = 0;
    }
    // §6.2.5.2 SHOULD: refuse a part further ahead than the Advance Part Limit.
    long ahead = partsAhead(msn, part, position);
    if (ahead > advancePartLimit(position.partTargetSeconds())) {
      return Decision.badRequest(
          "_HLS_part "
              + directives.part()
              + " of "
              + directives.msn()
              + " exceeds the Advance Part Limit");
    }
    return hasPart(msn, part, position) ? Decision.READY : Decision.WAIT;
  }

  /** Whether a parked request can now be answered; used when the playlist position advances. */
  public static boolean satisfied(DeliveryDirectives directives, PlaylistPosition position) {
    return decide(directives, position) instanceof Decision.Ready;
  }

  /**
   * §6.2.5.2: three divided by the Part Target Duration if that is less than one second, else
   * three. Counted in whole parts; the small epsilon keeps 3 / 0.2 at 15 despite binary rounding.
   */
  public static long advancePartLimit(double partTargetSeconds) {
    if (partTargetSeconds <= 0 || partTargetSeconds >= 1) {
      return 3;
    }
    return (long) Math.floor(3.0 / partTargetSeconds + 1e-9);
  }

  private static boolean hasSegment(long msn, PlaylistPosition position) {
    return msn < position.lastMsn()
        || (msn == position.lastMsn() && position.lastSegmentComplete());
  }

  private static boolean hasPart(long msn, long part, PlaylistPosition position) {
    long lastMsn = position.lastMsn();
    if (msn < lastMsn - 1) {
      // Segment msn and the one after it are both closed: the part or its roll-over exists.
      return true;
    }
    if (msn == lastMsn - 1) {
      // Closed parent: the part exists, or rolls over to part 0 of lastMsn, which exists once
      // lastMsn has a part (or is closed).
      return position.lastPartIndex() >= 0 || position.lastSegmentComplete();
    }
    if (msn == lastMsn) {
      return part <= position.lastPartIndex();
    }
    return false;
  }

  private static long partsAhead(long msn, long part, PlaylistPosition position) {
    long lastMsn = position.lastMsn();
    if (msn < lastMsn) {
      return 0;
    }
    if (msn == lastMsn) {
      return part - position.lastPartIndex();
    }
    // Each segment in between has at least one part; the open segment may have none left.
    return (msn - lastMsn - 1) + part + 1;
  }
}
