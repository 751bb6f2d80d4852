package dev.headwater.timeline;

import dev.headwater.media.Bytes;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The mutable timeline of one rendition. Owned by one thread (the segment watcher's event loop);
 * every change ends with {@link #snapshot()} which others read.
 *
 * <p>Media sequence numbers and part sequence numbers only grow, across encoder restarts too (RFC
 * 8216bis 6.2.2: EXT-X-MEDIA-SEQUENCE MUST NOT decrease); a restart starts a new run whose first
 * segment carries EXT-X-DISCONTINUITY and a new EXT-X-MAP.
 */
public final class RenditionTimeline {
  private final RenditionSpec spec;
  private final int windowSegments;
  private final int retainedAfterRemoval;

  private final ArrayDeque<TimelineSegment> closed = new ArrayDeque<>();
  private final Map<Integer, InitSection> inits = new HashMap<>();
  private InitSection currentInit;
  private long anchorMillis;

  private List<TimelinePart> openParts;
  private long openMsn;
  private boolean openDiscontinuity;
  private Instant openPdt;
  private long openStartTicks;
  private long openAnchorMillis;
  private GrowingSegment growing;

  private long nextMsn;
  private long nextPartSequence;
  private boolean pendingDiscontinuity;
  private long discontinuitiesRemoved;
  private boolean ended;

  public RenditionTimeline(RenditionSpec spec, int windowSegments, int retainedAfterRemoval) {
    this.spec = spec;
    this.windowSegments = windowSegments;
    this.retainedAfterRemoval = retainedAfterRemoval;
  }

  public RenditionSpec spec() {
    return spec;
  }

  /**
   * Starts an encoder run: closes what the previous run left open and makes the next segment a
   * discontinuity (RFC 8216bis 6.2.1: changes of timing MUST be marked with EXT-X-DISCONTINUITY).
   *
   * @param anchorMillis wall-clock time of media time 0 of this run, for EXT-X-PROGRAM-DATE-TIME
   */
  public void startRun(InitSection init, long anchorMillis) {
    if (currentInit != null) {
      closeSegment();
      pendingDiscontinuity = true;
    }
    currentInit = init;
    inits.put(init.id(), init);
    this.anchorMillis = anchorMillis;
  }

  public InitSection currentInit() {
    return currentInit;
  }

  /**
   * Appends a CMAF chunk to the segment being produced, opening a segment when it starts one. Its
   * bytes are copied once into a shared buffer that streaming responses follow; the part it belongs
   * to (the next {@link #addPart}) gets its own copy, so complete parts stay one contiguous buffer.
   *
   * @param startTime media time of its first sample, in the init's timescale
   * @return the segment it joined: the caller tells streaming responses if it is {@link
   *     GrowingSegment#watched()}
   */
  public GrowingSegment addChunk(
      Bytes bytes, long startTime, boolean startsSegment, long nowNanos) {
    if (currentInit == null) {
      throw new IllegalStateException("chunk before init section");
    }
    if (startsSegment || openParts == null) {
      openSegment(startTime);
    }
    if (growing == null) {
      growing = new GrowingSegment(spec.name(), openMsn);
    }
    growing.append(SharedBuffers.wrap(bytes), nextPartSequence, nowNanos);
    return growing;
  }

  /**
   * Appends a part. Its bytes are wrapped, not copied, into the one Buffer every response shares.
   *
   * @param startTime media time of its first sample, in the init's timescale
   * @param startsSegment the part opens a new segment (it starts with an independent frame on the
   *     grid); a segment its chunks opened already is not opened again
   */
  public TimelinePart addPart(
      Bytes bytes,
      long startTime,
      long durationTicks,
      boolean independent,
      boolean startsSegment,
      long nowNanos) {
    if (currentInit == null) {
      throw new IllegalStateException("part before init section");
    }
    boolean openedByChunks = openParts != null && openParts.isEmpty();
    if ((startsSegment && !openedByChunks) || openParts == null) {
      openSegment(startTime);
    }
    TimelinePart part =
        new TimelinePart(
            nextPartSequence++,
            openMsn,
            openParts.size(),
            SharedBuffers.wrap(bytes),
            durationTicks / (double) currentInit.timescale(),
            independent,
            nowNanos,
            durationTicks);
    openParts.add(part);
    if (growing != null) {
      growing.partClosed(part.sequence());
    }
    return part;
  }

  private void openSegment(long startTime) {
    closeSegment();
    openParts = new ArrayList<>();
    openMsn = nextMsn++;
    openDiscontinuity = pendingDiscontinuity;
    pendingDiscontinuity = false;
    long ts = currentInit.timescale();
    openPdt = Instant.ofEpochMilli(anchorMillis + Math.round(startTime * 1000.0 / ts));
    openStartTicks = startTime;
    openAnchorMillis = anchorMillis;
  }

  /** Completes the open segment, if any, and slides the window. */
  public void closeSegment() {
    if (openParts == null) {
      return;
    }
    if (!openParts.isEmpty()) {
      closed.addLast(
          new TimelineSegment(
              openMsn,
              currentInit.id(),
              List.copyOf(openParts),
              true,
              openDiscontinuity,
              openPdt,
              openStartTicks,
              openAnchorMillis));
      if (growing != null) {
        int n = growing.count();
        if (n > 0 && growing.chunk(n - 1).partSequence() >= nextPartSequence) {
          // Chunks of a part that never closed (a run replaced without a flush): what was
          // streamed is not the segment.
          growing.abandon();
        } else {
          growing.completed();
        }
      }
    } else {
      nextMsn--;
      if (growing != null) {
        // Its chunks never became a part: the MSN goes to the next segment.
        growing.abandon();
      }
    }
    growing = null;
    openParts = null;
    trim();
  }

  /** The stream ended: the last segment is complete and the playlist gets EXT-X-ENDLIST. */
  public void end() {
    closeSegment();
    ended = true;
  }

  public boolean ended() {
    return ended;
  }

  private void trim() {
    int keep = windowSegments + retainedAfterRemoval;
    while (closed.size() > keep) {
      TimelineSegment gone = closed.removeFirst();
      if (gone.discontinuity()) {
        discontinuitiesRemoved++;
      }
      dropUnusedInit(gone.initId());
    }
  }

  private void dropUnusedInit(int id) {
    if (currentInit != null && currentInit.id() == id) {
      return;
    }
    for (TimelineSegment s : closed) {
      if (s.initId() == id) {
        return;
      }
    }
    inits.remove(id);
  }

  public RenditionSnapshot snapshot() {
    List<TimelineSegment> all = new ArrayList<>(closed.size() + 1);
    all.addAll(closed);
    if (openParts != null && !openParts.isEmpty()) {
      all.add(
          new TimelineSegment(
              openMsn,
              currentInit.id(),
              List.copyOf(openParts),
              false,
              openDiscontinuity,
              openPdt,
              openStartTicks,
              openAnchorMillis));
    }
    int completeInWindow = Math.min(windowSegments, closed.size());
    int windowStart = closed.size() - completeInWindow;
    long discontinuitySequence = 0;
    for (int i = 0; i < windowStart; i++) {
      // RFC 8216bis 6.2.2: DISCONTINUITY-SEQUENCE rises by one for each discontinuity tag removed.
      if (all.get(i).discontinuity()) {
        discontinuitySequence++;
      }
    }
    discontinuitySequence += discontinuitiesRemoved;
    return new RenditionSnapshot(
        spec,
        List.copyOf(all),
        windowStart,
        Map.copyOf(inits),
        currentInit,
        nextPartSequence,
        discontinuitySequence,
        ended,
        growing);
  }
}
