package dev.headwater.media.cmaf;

import dev.headwater.media.Bytes;
import dev.headwater.media.isobmff.Fragment;
import java.util.ArrayList;
import java.util.List;

/**
 * Groups the consecutive fragments of one track into LL-HLS parts and parts into segments. All
 * arithmetic is in integer timescale ticks; the targets are converted once.
 *
 * <p>States:
 *
 * <ul>
 *   <li>{@code NO_SEGMENT}: before the first fragment, or after {@link #flush()}. The next fragment
 *       starts a segment whatever its time or independence.
 *   <li>{@code SEGMENT_OPEN}: a segment is collecting parts; a part may be open. A fragment that is
 *       independent and has reached the next grid boundary closes the open part and the segment and
 *       starts a new one.
 * </ul>
 *
 * <p>Segment boundaries sit on a fixed grid of the media timeline, boundary k at {@code k *
 * segmentTarget}, so every rendition of a stream (video keyframes forced at the same times, audio
 * frames that are all independent) cuts at the same grid points and their media sequence numbers
 * stay aligned.
 */
public final class PartCutter {

  /** Whether a segment is in progress. */
  public enum State {
    NO_SEGMENT,
    SEGMENT_OPEN
  }

  private final long timescale;
  private final long partTarget;
  private final long segmentTarget;

  private State state = State.NO_SEGMENT;
  private boolean haveTrack;
  private int trackId;
  private long lastFragmentDuration;
  private long expectedNextStart = -1;

  private final List<Fragment> partFragments = new ArrayList<>();
  private long partStart;
  private long partDuration;
  private long partBytes;
  private boolean partStartsSegment;

  private long segmentStart;
  private long segmentDuration;
  private int segmentPartCount;
  private long nextBoundary;

  private long oversizeParts;
  private long longSegments;
  private long timelineGaps;

  /**
   * @param timescale the track timescale (mdhd), ticks per second
   * @param partTargetSeconds EXT-X-PART-INF PART-TARGET; rounded down to whole ticks so that a part
   *     of {@link #partTargetTicks()} never exceeds the advertised target
   * @param segmentTargetSeconds segment grid spacing; rounded to the nearest tick
   */
  public PartCutter(long timescale, double partTargetSeconds, double segmentTargetSeconds) {
    if (timescale <= 0) {
      throw new IllegalArgumentException("timescale must be positive: " + timescale);
    }
    this.timescale = timescale;
    // The epsilon absorbs binary fractions such as 0.2 * 48000 = 9600.000000000002 or
    // 0.3 * 1000 = 299.99999999999994 so that they land on the intended tick.
    this.partTarget = (long) Math.floor(partTargetSeconds * timescale + 1e-6);
    this.segmentTarget = Math.round(segmentTargetSeconds * timescale);
    if (partTarget < 1 || segmentTarget < partTarget) {
      throw new IllegalArgumentException(
          "need 0 < part target <= segment target, got "
              + partTargetSeconds
              + " s and "
              + segmentTargetSeconds
              + " s at timescale "
              + timescale);
    }
  }

  /**
   * Feeds the next fragment of the track; returns, in order, what it completed before it, the
   * {@link ChunkAdded} for the fragment itself, then the part it completed eagerly, if any.
   */
  public List<CutterEvent> push(Fragment f) {
    checkTrack(f);
    List<CutterEvent> events = new ArrayList<>(3);
    if (expectedNextStart >= 0 && f.baseMediaDecodeTime() != expectedNextStart) {
      timelineGaps++;
    }
    switch (state) {
      case NO_SEGMENT -> startSegment(f);
      case SEGMENT_OPEN -> {
        if (reachesBoundary(f)) {
          // rfc8216bis 4.4.4.9: the last part of a segment may be shorter than 85% of the
          // part target, so the open part simply ends here.
          closePart(events);
          closeSegment(events);
          startSegment(f);
        } else if (!partFragments.isEmpty() && partDuration + f.duration() > partTarget) {
          // rfc8216bis 4.4.4.9 EXT-X-PART-INF: "The duration of a Partial Segment MUST be
          // less than or equal to the Part Target Duration" - close before overflowing.
          closePart(events);
        }
      }
    }
    boolean startsSegment = partStartsSegment && partFragments.isEmpty();
    addToPart(f);
    events.add(new ChunkAdded(f, startsSegment));
    long previousDuration = lastFragmentDuration > 0 ? lastFragmentDuration : f.duration();
    lastFragmentDuration = f.duration();
    expectedNextStart = f.endTime();
    // rfc8216bis 4.4.4.9: parts other than the last of a segment and independent ones should
    // be at least 85% of the target, and the part should be published as soon as it is
    // complete. Assuming the next fragment lasts as long as this one, close as soon as it
    // could no longer fit: 6 x 3000 ticks at 90 kHz closes on the 6th frame at exactly 0.2 s.
    // The shorter of the last two durations is assumed, because sources with millisecond
    // timestamps (FLV passed through) alternate 33 and 34 ms: 167 ms + 34 ms would close a
    // part at 83 % although the sixth frame still fits exactly.
    if (partDuration + Math.min(previousDuration, lastFragmentDuration) > partTarget) {
      closePart(events);
    }
    return events;
  }

  /** End of stream: closes the open part and segment. The next push starts a new segment. */
  public List<CutterEvent> flush() {
    List<CutterEvent> events = new ArrayList<>(2);
    switch (state) {
      case NO_SEGMENT -> {}
      case SEGMENT_OPEN -> {
        closePart(events);
        closeSegment(events);
      }
    }
    state = State.NO_SEGMENT;
    expectedNextStart = -1;
    return events;
  }

  public State state() {
    return state;
  }

  /** Duration of the most recent fragment: the expected size of the next one. */
  public long lastFragmentDuration() {
    return lastFragmentDuration;
  }

  /** Duration of the fragments in the open part so far (0 when no part is open). */
  public long openPartDuration() {
    return partDuration;
  }

  /** Number of fragments in the open part (0 when none is open). */
  public int openPartFragmentCount() {
    return partFragments.size();
  }

  /** Whether the next part to be closed will be the first of its segment. */
  public boolean openPartStartsSegment() {
    return partStartsSegment;
  }

  /** The grid point at which the open segment will end once an independent fragment reaches it. */
  public long nextSegmentBoundary() {
    return nextBoundary;
  }

  public long timescale() {
    return timescale;
  }

  public long partTargetTicks() {
    return partTarget;
  }

  public long segmentTargetTicks() {
    return segmentTarget;
  }

  /** Parts longer than the part target: each one breaks rfc8216bis 4.4.4.9. */
  public long oversizeParts() {
    return oversizeParts;
  }

  /** Segments longer than 1.5 x the segment target because keyframes came late. */
  public long longSegments() {
    return longSegments;
  }

  /** Fragments whose tfdt did not continue where the previous fragment ended. */
  public long timelineGaps() {
    return timelineGaps;
  }

  private void checkTrack(Fragment f) {
    if (!haveTrack) {
      haveTrack = true;
      trackId = f.trackId();
    } else if (f.trackId() != trackId) {
      throw new IllegalArgumentException(
          "a PartCutter serves one track: got track " + f.trackId() + " after track " + trackId);
    }
  }

  /**
   * An independent fragment whose start is within half its own duration of the boundary, or past
   * it; this picks the audio frame nearest the grid point (the earlier one on a tie). Written as a
   * difference so huge timestamps cannot overflow.
   */
  private boolean reachesBoundary(Fragment f) {
    return f.independent() && f.baseMediaDecodeTime() - nextBoundary >= -(f.duration() / 2);
  }

  private void startSegment(Fragment f) {
    state = State.SEGMENT_OPEN;
    segmentStart = f.baseMediaDecodeTime();
    segmentDuration = 0;
    segmentPartCount = 0;
    partStartsSegment = true;
    // The first grid point this fragment has not already reached by the rule above, so a
    // late keyframe that skipped grid points does not make the next segment tiny.
    long reached = Math.floorDiv(f.baseMediaDecodeTime() + f.duration() / 2, segmentTarget);
    nextBoundary = (reached + 1) * segmentTarget;
  }

  private void addToPart(Fragment f) {
    if (partFragments.isEmpty()) {
      partStart = f.baseMediaDecodeTime();
    }
    partFragments.add(f);
    partDuration += f.duration();
    partBytes += f.size();
  }

  private void closePart(List<CutterEvent> events) {
    if (partFragments.isEmpty()) {
      return;
    }
    if (partBytes > Integer.MAX_VALUE) {
      throw new IllegalStateException(
          "part of " + partBytes + " bytes is longer than a Bytes can address");
    }
    // The part shares its fragments' box arrays: a concatenation of ranges, not a copy.
    List<Bytes> bytes = new ArrayList<>(partFragments.size());
    for (Fragment f : partFragments) {
      bytes.add(f.bytes());
    }
    boolean independent = partFragments.get(0).independent();
    if (partDuration > partTarget) {
      oversizeParts++;
    }
    events.add(
        new PartClosed(
            new CmafPart(
                Bytes.concat(bytes), partStart, partDuration, independent, partStartsSegment)));
    segmentDuration += partDuration;
    segmentPartCount++;
    partStartsSegment = false;
    partFragments.clear();
    partDuration = 0;
    partBytes = 0;
  }

  private void closeSegment(List<CutterEvent> events) {
    if (segmentPartCount == 0) {
      return;
    }
    if (2 * segmentDuration > 3 * segmentTarget) {
      longSegments++;
    }
    events.add(new SegmentClosed(segmentStart, segmentDuration, segmentPartCount));
  }
}
