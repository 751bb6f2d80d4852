package dev.headwater.loadtest;

import static io.gatling.javaapi.core.CoreDsl.asLongAs;
import static io.gatling.javaapi.core.CoreDsl.bodyLength;
import static io.gatling.javaapi.core.CoreDsl.bodyString;
import static io.gatling.javaapi.core.CoreDsl.doIf;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.foreach;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.responseTimeInMillis;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import dev.headwater.loadtest.Playlists.Media;
import dev.headwater.loadtest.Playlists.Part;
import dev.headwater.loadtest.Playlists.PartPos;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * An LL-HLS viewer that behaves like hls.js in low-latency mode, as Gatling chains.
 *
 * <h2>One viewer = two Gatling virtual users (video track + audio track)</h2>
 *
 * <p>hls.js runs the main (video) stream controller and the audio stream controller independently:
 * each has its own playlist loader with its own blocking reloads and loads its own parts, and
 * neither waits for the other. A Gatling virtual user is strictly sequential, so interleaving both
 * loops in one user would put two ~one-part-duration waits (video blocking reload, then audio
 * blocking reload) in every cycle; audio parts (0.192 s) and video parts (0.200 s) are not even
 * aligned, so each track would keep waiting for the other and fall behind the live edge, and the
 * test would report late parts that a real player would never see. Each viewer is therefore
 * modelled as two concurrent virtual users, one per track, injected with the same profile. The
 * video user fetches the multivariant playlist once (as the player does) and hands the audio
 * rendition URL to its partner (see {@link Viewers}); the users of a viewer are paired by a
 * per-scenario counter ({@code viewer} = 0, 1, 2, ... in start order).
 *
 * <h2>The per-track loop</h2>
 *
 * <pre>
 *   GET index.m3u8                                   "playlist" (once, and after an error)
 *   GET init segment (EXT-X-MAP)                     "init segment" (when it changes)
 *   loop until the deadline:
 *     GET every part listed that is newer than what we hold   "part"
 *     GET the EXT-X-PRELOAD-HINT part right away      "preload-hinted part"
 *         (the origin holds it and answers the moment the part is complete)
 *     GET index.m3u8?_HLS_msn=M&amp;_HLS_part=P[&amp;_HLS_skip=YES]   "playlist (blocking)"
 *         M/P = the part after the newest one we hold: the part after the hinted one when the
 *         hint was fetched, otherwise the part after the last one listed. _HLS_skip=YES is added
 *         once we hold a playlist that advertises CAN-SKIP-UNTIL (delta update).
 * </pre>
 *
 * <p>In steady state one cycle covers two parts: the hinted part N+1 (response ≈ time until it is
 * complete), the blocking reload for N+2 (response ≈ one part duration: the origin holds it until
 * N+2 exists), then part N+2, already complete, which the origin must serve in a few ms. Every
 * part thus reaches the viewer right when the encoder finishes it.
 */
public final class LlHls {

  private LlHls() {}

  static final String TRACK = Viewers.TRACK;

  /** Per-track player state, kept in the (strictly sequential) virtual user's session. */
  static final class Track {
    final int viewer;
    final String kind;
    final String playlistUrl;
    double partTargetSec = 0.2;
    boolean canSkip;
    /** Newest part position the viewer holds (from a playlist or a fetched hint). */
    PartPos held;
    /** Position to ask for in the next blocking reload; null = do a full reload. */
    PartPos wanted;
    String mapUrl;
    String fetchedMapUrl;
    List<String> newParts = List.of();
    String hintUrl;
    PartPos hintPos;
    long lastArrivalNanos;
    boolean backoff;
    /** URLs of parts already fetched (bounded). */
    final Map<String, Boolean> fetched = new LinkedHashMap<>(256, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
        return size() > 200;
      }
    };

    Track(int viewer, String kind, String playlistUrl) {
      this.viewer = viewer;
      this.kind = kind;
      this.playlistUrl = playlistUrl;
    }

    String blockingUrl() {
      String sep = playlistUrl.contains("?") ? "&" : "?";
      return playlistUrl + sep + "_HLS_msn=" + wanted.msn() + "&_HLS_part=" + wanted.part()
          + (canSkip ? "&_HLS_skip=YES" : "");
    }
  }

  static Track track(Session s) {
    return s.get(TRACK);
  }

  /** The video half of an LL-HLS viewer (multivariant playlist, then the video track loop). */
  public static ScenarioBuilder videoScenario(String name, Params p, BooleanSupplier running) {
    return Viewers.videoScenario(name, p, running,
        (viewer, kind, url) -> new Track(viewer, kind, url), trackLoop(running));
  }

  /** The audio half of an LL-HLS viewer. */
  public static ScenarioBuilder audioScenario(String name, BooleanSupplier running) {
    return Viewers.audioScenario(name, running,
        (viewer, kind, url) -> new Track(viewer, kind, url), trackLoop(running));
  }

  // ------------------------------------------------------------------ the track loop

  static ChainBuilder trackLoop(BooleanSupplier running) {
    return exec(fullPlaylist())
        .asLongAs(s -> running.getAsBoolean()).on(
            doIf(s -> track(s).backoff).then(
                exec(s -> {
                  track(s).backoff = false;
                  return s;
                }).pause(Duration.ofMillis(500)))
            .doIf(s -> track(s).mapUrl != null && !track(s).mapUrl.equals(track(s).fetchedMapUrl))
            .then(initSegment())
            .foreach(s -> new ArrayList<>(track(s).newParts), "partUrl").on(
                exec(s -> s.remove("rt"))
                    .exec(http("part").get(s -> s.getString("partUrl"))
                        .check(responseTimeInMillis().saveAs("rt"), status().is(200), bodyLength().gt(0)))
                    .exec(s -> partArrived(s, s.getString("partUrl"), false)))
            .doIf(s -> track(s).hintUrl != null).then(
                exec(s -> s.remove("rt"))
                    .exec(http("preload-hinted part").get(s -> track(s).hintUrl)
                        .check(responseTimeInMillis().saveAs("rt"), status().is(200), bodyLength().gt(0)))
                    .exec(s -> partArrived(s, track(s).hintUrl, true)))
            .doIf(s -> running.getAsBoolean()).then(
                doIf(s -> track(s).wanted == null).then(fullPlaylist())
                    .doIf(s -> track(s).wanted != null).then(blockingPlaylist())));
  }

  private static ChainBuilder fullPlaylist() {
    return exec(s -> s.remove("body").remove("rt"))
        .exec(http("playlist").get(s -> track(s).playlistUrl).check(playlistChecks()))
        .exec(s -> playlistArrived(s, false));
  }

  private static ChainBuilder blockingPlaylist() {
    return exec(s -> s.remove("body").remove("rt"))
        .exec(http("playlist (blocking)").get(s -> track(s).blockingUrl()).check(playlistChecks()))
        .exec(s -> playlistArrived(s, true));
  }

  private static ChainBuilder initSegment() {
    return exec(http("init segment").get(s -> track(s).mapUrl)
            .check(status().is(200), bodyLength().gt(0)))
        .exec(s -> {
          Track t = track(s);
          Stats.get().request();
          if (s.isFailed()) {
            Stats.get().error(t.viewer, "init segment " + t.kind);
            t.backoff = true;
            return s.markAsSucceeded();
          }
          t.fetchedMapUrl = t.mapUrl;
          return s;
        });
  }

  static io.gatling.javaapi.core.CheckBuilder[] playlistChecks() {
    return new io.gatling.javaapi.core.CheckBuilder[] {
      responseTimeInMillis().saveAs("rt"),
      status().is(200),
      bodyString().saveAs("body"),
      bodyString().transform(b -> b.startsWith("#EXTM3U")).is(true)
    };
  }

  /** Handles a playlist response: what is new, what is hinted, what to ask for next. */
  static Session playlistArrived(Session s, boolean blocking) {
    Track t = track(s);
    Stats st = Stats.get();
    st.request();
    if (s.isFailed() || !s.contains("body")) {
      st.error(t.viewer, (blocking ? "playlist (blocking) " : "playlist ") + t.kind);
      // start over like a player after a failed reload: full playlist, no skip, after a pause
      t.wanted = null;
      t.canSkip = false;
      t.newParts = List.of();
      t.hintUrl = null;
      t.backoff = true;
      return s.markAsSucceeded().remove("body");
    }
    if (blocking && s.contains("rt")) {
      long rt = s.getInt("rt");
      Stats.record(st.playlistWake, rt);
      Stats.record(st.bucket().wake, rt);
    }
    Media m = Playlists.parseMedia(s.getString("body"));
    if (blocking && t.canSkip) {
      st.skipRequested.increment();
    }
    if (m.isDelta()) {
      st.deltaReceived.increment();
    }
    if (m.partTarget() > 0) {
      t.partTargetSec = m.partTarget();
    }
    t.canSkip = m.canSkipUntil() > 0;
    if (m.mapUri() != null) {
      t.mapUrl = Playlists.resolve(t.playlistUrl, m.mapUri());
    }
    List<Part> parts = m.parts();
    List<String> fresh = new ArrayList<>();
    if (t.held == null) {
      // joining: start PART-HOLD-BACK behind the live edge (3 parts), as hls.js does
      double holdBack = m.partHoldBack() > 0 ? m.partHoldBack() : 3 * t.partTargetSec;
      int n = (int) Math.max(1, Math.round(holdBack / t.partTargetSec));
      for (int i = Math.max(0, parts.size() - n); i < parts.size(); i++) {
        fresh.add(Playlists.resolve(t.playlistUrl, parts.get(i).uri()));
      }
    } else {
      for (Part part : parts) {
        if (part.pos().compareTo(t.held) > 0) {
          String url = Playlists.resolve(t.playlistUrl, part.uri());
          if (!t.fetched.containsKey(url)) {
            fresh.add(url);
          }
        }
      }
    }
    if (!parts.isEmpty()) {
      PartPos last = parts.get(parts.size() - 1).pos();
      if (t.held == null || last.compareTo(t.held) > 0) {
        t.held = last;
      }
    }
    t.newParts = fresh;
    t.hintUrl = null;
    t.hintPos = null;
    if (m.preloadHintUri() != null) {
      String url = Playlists.resolve(t.playlistUrl, m.preloadHintUri());
      if (!t.fetched.containsKey(url)) {
        t.hintUrl = url;
        t.hintPos = m.nextPart();
      }
    }
    // next blocking reload: the part after the last listed one; moved one further when the
    // hinted part (which is exactly that part) has been fetched, see partArrived
    t.wanted = m.nextPart();
    if (t.hintUrl == null && m.preloadHintUri() != null && t.held != null
        && t.held.compareTo(m.nextPart()) >= 0) {
      t.wanted = t.held.following();
    }
    return s.remove("body");
  }

  /** Handles a part response: timing, lateness, bookkeeping. */
  static Session partArrived(Session s, String url, boolean hinted) {
    Track t = track(s);
    Stats st = Stats.get();
    st.request();
    if (hinted) {
      t.hintUrl = null;
    }
    if (s.isFailed() || !s.contains("rt")) {
      st.error(t.viewer, (hinted ? "preload-hinted part " : "part ") + t.kind);
      return s.markAsSucceeded();
    }
    long now = System.nanoTime();
    long rt = s.getInt("rt");
    if (hinted) {
      Stats.record(st.hintedPart, rt);
      if (t.hintPos != null) {
        if (t.held == null || t.hintPos.compareTo(t.held) > 0) {
          t.held = t.hintPos;
        }
        t.wanted = t.hintPos.following();
      }
    } else {
      Stats.record(st.part, rt);
      Stats.record(st.bucket().part, rt);
    }
    st.mediaObjects.increment();
    if (t.lastArrivalNanos != 0) {
      long gapMs = (now - t.lastArrivalNanos) / 1_000_000L;
      Stats.record(st.arrivalGap, gapMs);
      if (gapMs > LATE_FACTOR * t.partTargetSec * 1000) {
        st.lateArrival();
      }
    }
    t.lastArrivalNanos = now;
    t.fetched.put(url, Boolean.TRUE);
    return s;
  }

  /**
   * A part is late when it arrives more than one part duration behind the stream's cadence: more
   * than PART-TARGET + PART-TARGET after the previous part of the same track. The encoder's own
   * jitter moves part completion by ±15 ms, so a plain "gap &gt; PART-TARGET" would flag about half
   * of all parts; a gap of two part durations means the player's buffer lost a whole part.
   */
  static final double LATE_FACTOR = 2.0;

  /** A line of detail printed before the summary. */
  public static String detail(Stats st) {
    return "LL-HLS detail: blocking reloads=" + st.playlistWake.count()
        + " with _HLS_skip=YES=" + st.skipRequested.sum()
        + " delta playlists received=" + st.deltaReceived.sum()
        + " playlist_wake_p10_ms=" + Stats.p(st.playlistWake, 10)
        + " part_p90_ms=" + Stats.p(st.part, 90)
        + " part_max_ms=" + st.part.max()
        + " part_gap_p50_ms=" + Stats.p(st.arrivalGap, 50);
  }

  /** The summary line of an LL-HLS run. */
  public static String summary(Stats st, int viewers, int held) {
    return "SUMMARY viewers=" + viewers
        + " held=" + held
        + " requests/s=" + Stats.fmt(st.requests.sum() / st.elapsedSeconds())
        + " playlist_wake_p50_ms=" + Stats.p(st.playlistWake, 50)
        + " playlist_wake_p99_ms=" + Stats.p(st.playlistWake, 99)
        + " part_p50_ms=" + Stats.p(st.part, 50)
        + " part_p99_ms=" + Stats.p(st.part, 99)
        + " late_parts=" + st.late.sum()
        + " errors=" + st.errors.sum()
        + " parts=" + st.mediaObjects.sum()
        + " hinted_part_p50_ms=" + Stats.p(st.hintedPart, 50)
        + " hinted_part_p99_ms=" + Stats.p(st.hintedPart, 99)
        + " part_gap_p99_ms=" + Stats.p(st.arrivalGap, 99)
        + " part_gap_max_ms=" + st.arrivalGap.max();
  }
}
