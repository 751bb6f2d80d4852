package dev.headwater.loadtest;

import static io.gatling.javaapi.core.CoreDsl.bodyString;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.responseTimeInMillis;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * What every simulated viewer shares: the HTTP protocol, the multivariant playlist and the pairing
 * of a viewer's two virtual users (video track and audio track, see {@link LlHls} for why a viewer
 * is two concurrent virtual users).
 */
public final class Viewers {

  private Viewers() {}

  /** Session key of the per-track player state object. */
  public static final String TRACK = "track";

  /** Audio playlist URL per viewer, published by the video user ("" = the stream has no audio). */
  static final Map<Integer, String> AUDIO_URL_BY_VIEWER = new ConcurrentHashMap<>();

  /** Creates the per-track state of a viewer. */
  @FunctionalInterface
  public interface TrackFactory {
    Object create(int viewer, String kind, String playlistUrl);
  }

  public static int viewer(Session s) {
    return s.getInt("viewer");
  }

  /** Feeder handing out viewer numbers 0, 1, 2, ... in start order (one instance per scenario). */
  static Iterator<Map<String, Object>> viewerIds() {
    AtomicInteger next = new AtomicInteger();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return true;
      }

      @Override
      public Map<String, Object> next() {
        return Map.of("viewer", next.getAndIncrement());
      }
    };
  }

  public static HttpProtocolBuilder protocol() {
    return http
        // never talk to anything but the origin under test (gatling.conf also blanks warmUpUrl)
        .disableWarmUp()
        // playlists carry Cache-Control: max-age=1, yet a player re-requests them: no client cache
        .disableCaching()
        .acceptEncodingHeader("gzip, deflate")
        .userAgentHeader("headwater-loadtest (Gatling)");
  }

  /**
   * The video half of a viewer: fetches the multivariant playlist (retrying every second on
   * failure), picks the video variant by the {@code rendition} parameter, publishes the audio
   * rendition for the audio half, then runs {@code loop} on the video track.
   */
  static ScenarioBuilder videoScenario(String name, Params p, BooleanSupplier running,
      TrackFactory tracks, ChainBuilder loop) {
    return scenario(name + ": video")
        .feed(viewerIds())
        // a closed model may start a replacement user just as the run ends: it idles for a second
        // and leaves without a request, so the injector does not spin
        .doIf(s -> !running.getAsBoolean()).then(pause(Duration.ofSeconds(1)).exitHere())
        .exec(s -> {
          Stats.get().viewerStarted(viewer(s));
          return s;
        })
        .asLongAs(s -> !s.contains(TRACK) && running.getAsBoolean()).on(
            exec(s -> s.remove("body").remove("rt"))
                .exec(http("multivariant").get(p.masterUrl())
                    .check(responseTimeInMillis().saveAs("rt"), status().is(200),
                        bodyString().saveAs("body"),
                        bodyString().transform(b -> b.startsWith("#EXTM3U")).is(true)))
                .exec(s -> {
                  Stats st = Stats.get();
                  st.request();
                  if (s.isFailed() || !s.contains("body")) {
                    st.error(viewer(s), "multivariant");
                    return s.markAsSucceeded();
                  }
                  Playlists.Master m = Playlists.parseMaster(p.masterUrl(), s.getString("body"));
                  if (m.variants().isEmpty()) {
                    st.error(viewer(s), "multivariant without variants");
                    return s.remove("body");
                  }
                  Playlists.Variant v = m.pick(p.rendition);
                  String audio = m.audioFor(v);
                  AUDIO_URL_BY_VIEWER.put(viewer(s), audio == null ? "" : audio);
                  return s.remove("body").set(TRACK, tracks.create(viewer(s), "video", v.url()));
                })
                .doIf(s -> !s.contains(TRACK)).then(pause(Duration.ofSeconds(1))))
        .doIf(s -> s.contains(TRACK)).then(loop);
  }

  /** The audio half of a viewer: waits for its video half's multivariant, then runs {@code loop}. */
  static ScenarioBuilder audioScenario(String name, BooleanSupplier running, TrackFactory tracks,
      ChainBuilder loop) {
    return scenario(name + ": audio")
        .feed(viewerIds())
        // a closed model may start a replacement user just as the run ends: it idles for a second
        // and leaves without a request, so the injector does not spin
        .doIf(s -> !running.getAsBoolean()).then(pause(Duration.ofSeconds(1)).exitHere())
        .asLongAs(s -> !AUDIO_URL_BY_VIEWER.containsKey(viewer(s)) && running.getAsBoolean())
        .on(pause(Duration.ofMillis(20)))
        .doIf(s -> !AUDIO_URL_BY_VIEWER.getOrDefault(viewer(s), "").isEmpty()).then(
            exec(s -> s.set(TRACK,
                    tracks.create(viewer(s), "audio", AUDIO_URL_BY_VIEWER.get(viewer(s)))))
                .exec(loop));
  }
}
