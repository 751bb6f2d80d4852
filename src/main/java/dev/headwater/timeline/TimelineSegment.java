package dev.headwater.timeline;

import java.time.Instant;
import java.util.List;

/**
 * A segment of a rendition: complete once its last part is known, otherwise the open segment at the
 * live edge. Its bytes are its parts' bytes in order (a part is a run of whole CMAF chunks), so
 * nothing is stored twice.
 *
 * @param startTicks media time of its first sample, in its init section's timescale
 * @param anchorMillis wall-clock time (epoch ms) of media time 0 of its encoder run: {@code
 *     programDateTime} is this plus {@code startTicks}, and a DASH Period starts here
 */
public record TimelineSegment(
    long msn,
    int initId,
    List<TimelinePart> parts,
    boolean complete,
    boolean discontinuity,
    Instant programDateTime,
    long startTicks,
    long anchorMillis) {

  /** The duration in the init section's timescale: the sum of its parts'. */
  public long durationTicks() {
    long sum = 0;
    for (TimelinePart p : parts) {
      sum += p.durationTicks();
    }
    return sum;
  }

  public double duration() {
    double sum = 0;
    for (TimelinePart p : parts) {
      sum += p.duration();
    }
    return sum;
  }

  public long byteLength() {
    long n = 0;
    for (TimelinePart p : parts) {
      n += p.bytes().length();
    }
    return n;
  }

  public String uri() {
    return uriFor(msn);
  }

  public static String uriFor(long msn) {
    return "s" + msn + ".m4s";
  }
}
