package dev.headwater.serve;

import dev.headwater.timeline.LiveStream;
import dev.headwater.timeline.RenditionSnapshot;
import dev.headwater.timeline.StreamRegistry;
import dev.headwater.timeline.TimelineSegment;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/**
 * Stop-gap until the {@link MediaHandler} streams a segment while it is produced: a GET for the
 * segment in progress (or for the next one, asked a little early) waits, holding no thread, until
 * that segment is complete and is then served whole by the {@link MediaHandler}. LL-DASH clients
 * ask for segment N as soon as its first chunk should exist (the MPD's availabilityTimeOffset);
 * answering 404 would make dash.js give up on the segment and stall. Remove this route once
 * in-progress segments are answered at once with chunked transfer.
 */
final class InProgressSegmentGate {
  private final StreamRegistry registry;
  private final WaiterRegistry waiters;
  private final long timeoutMillis;

  InProgressSegmentGate(StreamRegistry registry, WaiterRegistry waiters, long timeoutMillis) {
    this.registry = registry;
    this.waiters = waiters;
    this.timeoutMillis = timeoutMillis;
  }

  /** GET /live/:name/:session/:rendition/:file — passes on all but an in-progress segment. */
  void handle(RoutingContext rc) {
    String file = rc.pathParam("file");
    LiveStream stream = registry.session(rc.pathParam("session"));
    String rendition = rc.pathParam("rendition");
    long msn = msn(file);
    if (msn < 0 || stream == null || rc.request().method() != HttpMethod.GET) {
      rc.next();
      return;
    }
    RenditionSnapshot r = stream.snapshot().rendition(rendition);
    TimelineSegment last = r == null ? null : r.last();
    if (last == null || r.ended() || !waitsFor(r, last, msn)) {
      rc.next();
      return;
    }
    Waiter w =
        new Waiter(
            stream.sessionId(),
            stream.meters(),
            rendition,
            snap -> {
              RenditionSnapshot rs = snap.rendition(rendition);
              if (rs == null || rs.ended()) {
                return true;
              }
              TimelineSegment seg = rs.segment(msn);
              return seg != null && seg.complete();
            },
            snap -> rc.next());
    waiters.parkResponse(w, timeoutMillis, rc.request(), "the segment did not complete in time");
  }

  private static boolean waitsFor(RenditionSnapshot r, TimelineSegment last, long msn) {
    if (msn == last.msn()) {
      return !last.complete();
    }
    return msn == last.msn() + 1;
  }

  /** N of {@code sN.m4s}, or -1. */
  private static long msn(String file) {
    if (file.length() < 6 || file.charAt(0) != 's' || !file.endsWith(".m4s")) {
      return -1;
    }
    try {
      return Long.parseLong(file, 1, file.length() - 4, 10);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
