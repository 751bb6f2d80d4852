package dev.headwater.loadtest;

import static io.gatling.javaapi.core.CoreDsl.asLongAs;
import static io.gatling.javaapi.core.CoreDsl.bodyLength;
import static io.gatling.javaapi.core.CoreDsl.bodyString;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.foreach;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.responseTimeInMillis;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import dev.headwater.loadtest.Playlists.Media;
import dev.headwater.loadtest.Playlists.Segment;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * An older, non-LL HLS player (RFC 8216 without the LL extensions), as Gatling chains.
 *
 * <p>Per track (video and audio, again two concurrent virtual users per viewer, for the same
 * reason as in {@link LlHls}):
 *
 * <pre>
 *   loop until the deadline:
 *     GET index.m3u8 (no directives)              "playlist (poll)"
 *     GET init segment when EXT-X-MAP changes      "init segment"
 *     GET every #EXTINF segment not fetched yet    "segment"
 *         (on joining: the last 3, i.e. start 3 target durations behind the live edge)
 *     wait until one target duration after the start of this poll, or half of one when the
 *     playlist had not changed (RFC 8216 6.3.4)
 * </pre>
 *
 * <p>Parts, preload hints and blocking reloads are ignored, exactly as an old player would.
 */
public final class ClassicHls {

  private ClassicHls() {}

  static final class Track {
    final int viewer;
    final String kind;
    final String playlistUrl;
    double targetDurationSec = 2;
    long lastMsn = -1;
    String mapUrl;
    String fetchedMapUrl;
    List<String> newSegments = List.of();
    long pollStartedNanos;
    long nextPollNanos;
    long lastArrivalNanos;

    Track(int viewer, String kind, String playlistUrl) {
      this.viewer = viewer;
      this.kind = kind;
      this.playlistUrl = playlistUrl;
    }
  }

  static Track track(Session s) {
    return s.get(Viewers.TRACK);
  }

  public static ScenarioBuilder videoScenario(String name, Params p, BooleanSupplier running) {
    return Viewers.videoScenario(name, p, running, Track::new, trackLoop(running));
  }

  public static ScenarioBuilder audioScenario(String name, BooleanSupplier running) {
    return Viewers.audioScenario(name, running, Track::new, trackLoop(running));
  }

  static ChainBuilder trackLoop(BooleanSupplier running) {
    return asLongAs(s -> running.getAsBoolean()).on(
            exec(s -> {
                  track(s).pollStartedNanos = System.nanoTime();
                  return s.remove("body").remove("rt");
                })
                .exec(http("playlist (poll)").get(s -> track(s).playlistUrl)
                    .check(responseTimeInMillis().saveAs("rt"), status().is(200),
                        bodyString().saveAs("body"),
                        bodyString().transform(b -> b.startsWith("#EXTM3U")).is(true)))
                .exec(ClassicHls::playlistArrived)
                .doIf(s -> track(s).mapUrl != null && !track(s).mapUrl.equals(track(s).fetchedMapUrl))
                .then(
                    exec(http("init segment").get(s -> track(s).mapUrl)
                            .check(status().is(200), bodyLength().gt(0)))
                        .exec(s -> {
                          Track t = track(s);
                          Stats.get().request();
                          if (s.isFailed()) {
                            Stats.get().error(t.viewer, "init segment " + t.kind);
                            return s.markAsSucceeded();
                          }
                          t.fetchedMapUrl = t.mapUrl;
                          return s;
                        }))
                .foreach(s -> new ArrayList<>(track(s).newSegments), "segmentUrl").on(
                    exec(s -> s.remove("rt"))
                        .exec(http("segment").get(s -> s.getString("segmentUrl"))
                            .check(responseTimeInMillis().saveAs("rt"), status().is(200),
                                bodyLength().gt(0)))
                        .exec(ClassicHls::segmentArrived))
                .doIf(s -> running.getAsBoolean()).then(
                    pause(s -> {
                      long wait = track(s).nextPollNanos - System.nanoTime();
                      return Duration.ofNanos(Math.max(0, wait));
                    })));
  }

  static Session playlistArrived(Session s) {
    Track t = track(s);
    Stats st = Stats.get();
    st.request();
    if (s.isFailed() || !s.contains("body")) {
      st.error(t.viewer, "playlist (poll) " + t.kind);
      t.newSegments = List.of();
      t.nextPollNanos = t.pollStartedNanos + (long) (t.targetDurationSec * 0.5e9);
      return s.markAsSucceeded();
    }
    if (s.contains("rt")) {
      Stats.record(st.playlistPoll, s.getInt("rt"));
    }
    Media m = Playlists.parseMedia(s.getString("body"));
    if (m.targetDuration() > 0) {
      t.targetDurationSec = m.targetDuration();
    }
    if (m.mapUri() != null) {
      t.mapUrl = Playlists.resolve(t.playlistUrl, m.mapUri());
    }
    List<Segment> segs = m.segments();
    List<String> fresh = new ArrayList<>();
    int from;
    if (t.lastMsn < 0) {
      from = Math.max(0, segs.size() - 3); // join 3 target durations behind the live edge
    } else {
      from = segs.size();
      while (from > 0 && segs.get(from - 1).msn() > t.lastMsn) {
        from--;
      }
    }
    for (int i = from; i < segs.size(); i++) {
      fresh.add(Playlists.resolve(t.playlistUrl, segs.get(i).uri()));
    }
    boolean changed = !fresh.isEmpty();
    if (changed) {
      t.lastMsn = segs.get(segs.size() - 1).msn();
    }
    t.newSegments = fresh;
    // RFC 8216 6.3.4: reload one target duration after the last load began; half of one when
    // the playlist did not change
    t.nextPollNanos = t.pollStartedNanos
        + (long) ((changed ? 1.0 : 0.5) * t.targetDurationSec * 1e9);
    return s.remove("body");
  }

  static Session segmentArrived(Session s) {
    Track t = track(s);
    Stats st = Stats.get();
    st.request();
    if (s.isFailed() || !s.contains("rt")) {
      st.error(t.viewer, "segment " + t.kind);
      return s.markAsSucceeded();
    }
    long now = System.nanoTime();
    Stats.record(st.segment, s.getInt("rt"));
    st.mediaObjects.increment();
    if (t.lastArrivalNanos != 0) {
      long gapMs = (now - t.lastArrivalNanos) / 1_000_000L;
      Stats.record(st.arrivalGap, gapMs);
      // late: more than one target duration behind the cadence (cf. LlHls.LATE_FACTOR)
      if (gapMs > 2 * t.targetDurationSec * 1000) {
        st.lateArrival();
      }
    }
    t.lastArrivalNanos = now;
    return s;
  }

  public static String summary(Stats st) {
    return "SUMMARY viewers=" + st.viewers()
        + " held=" + st.heldViewers()
        + " requests/s=" + Stats.fmt(st.requests.sum() / st.elapsedSeconds())
        + " playlist_p50_ms=" + Stats.p(st.playlistPoll, 50)
        + " playlist_p99_ms=" + Stats.p(st.playlistPoll, 99)
        + " segment_p50_ms=" + Stats.p(st.segment, 50)
        + " segment_p99_ms=" + Stats.p(st.segment, 99)
        + " late_segments=" + st.late.sum()
        + " errors=" + st.errors.sum()
        + " segments=" + st.mediaObjects.sum()
        + " segment_gap_p99_ms=" + Stats.p(st.arrivalGap, 99)
        + " segment_gap_max_ms=" + st.arrivalGap.max();
  }
}
