package dev.headwater.serve;

import dev.headwater.media.dash.MpdWriter;
import dev.headwater.media.hls.MediaPlaylistWriter;
import dev.headwater.media.hls.MultivariantPlaylistWriter;
import dev.headwater.record.Catalogue;
import dev.headwater.record.Recording;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replay of recordings: {@code /vod/NAME/SESSION/master.m3u8}, its media playlists, the static MPD
 * {@code /vod/NAME/SESSION/manifest.mpd} ({@link VodMpdAssembler}), the media both address (read
 * from the store), and {@code GET /api/recordings}.
 *
 * <p>The MPD exists once the recording has ended. A recording still being recorded has no MPD (404
 * saying so): a dynamic MPD of it would have to anchor every Period on the wall clock and announce
 * each stored segment through MPD updates, with a client starting at a live edge that trails the
 * live stream by the storage delay; the HLS EVENT playlist already serves that case, and the live
 * MPD's window serves the recent past.
 *
 * <p>Caching: a finished recording never changes, so its playlists and media are cached for an hour
 * and a day; one still being recorded is an EVENT playlist that grows with every segment, cached
 * half a target duration like a live playlist. A recording deleted by retention may be served by a
 * CDN until those times run out.
 */
final class VodHandler {
  private static final Logger LOG = LoggerFactory.getLogger(VodHandler.class);
  static final String FINISHED_PLAYLIST = "public, max-age=3600";
  static final String GROWING_PLAYLIST = "public, max-age=0, s-maxage=1";
  static final String MEDIA = "public, max-age=86400, immutable";
  static final String LIST = "public, max-age=2";

  private final Catalogue catalogue;
  private final RecordedMedia media;

  VodHandler(RecordedMedia media) {
    this.catalogue = media.catalogue();
    this.media = media;
  }

  void multivariant(RoutingContext rc) {
    Recording r = recording(rc);
    if (r != null) {
      playlist(rc, r, MultivariantPlaylistWriter.write(VodAssembler.multivariant(r)));
    }
  }

  void media(RoutingContext rc) {
    Recording r = recording(rc);
    if (r == null) {
      return;
    }
    String rendition = rc.pathParam("rendition");
    if (r.rendition(rendition) == null) {
      notFound(rc, "no rendition " + rendition + " in this recording");
      return;
    }
    playlist(rc, r, MediaPlaylistWriter.write(VodAssembler.media(r, rendition)));
  }

  static final String STILL_RECORDING =
      "still recording: use the HLS EVENT playlist or wait for the end";

  /** GET /vod/:name/:session/manifest.mpd — the static MPD of a finished recording. */
  void mpd(RoutingContext rc) {
    Recording r = recording(rc);
    if (r == null) {
      return;
    }
    if (!r.ended()) {
      notFound(rc, STILL_RECORDING);
      return;
    }
    if (r.entries().isEmpty()) {
      notFound(rc, "nothing was recorded");
      return;
    }
    String text;
    try {
      text = MpdWriter.write(VodMpdAssembler.mpd(r));
    } catch (IllegalArgumentException e) {
      LOG.warn("Replay: no MPD for {}: {}", r.key(), e.getMessage());
      PlaylistHandler.error(
          rc.response(), 500, CachePolicy.NO_STORE, "MPD invariant broken: " + e.getMessage());
      return;
    }
    rc.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, DashHandler.CONTENT_TYPE)
        .putHeader(HttpHeaders.CACHE_CONTROL, FINISHED_PLAYLIST)
        .end(text);
  }

  void file(RoutingContext rc) {
    String name = rc.pathParam("name");
    String session = rc.pathParam("session");
    if (!media.serve(
        rc.request(), name, session, rc.pathParam("rendition"), rc.pathParam("file"), MEDIA)) {
      notFound(
          rc, catalogue.get(name, session) == null ? "no such recording" : "not in this recording");
    }
  }

  void list(RoutingContext rc) {
    list(rc, new JsonArray());
  }

  /** This origin's recordings, then {@code others} (the other origins' lists, in a cluster). */
  void list(RoutingContext rc, JsonArray others) {
    JsonArray out = new JsonArray();
    for (Recording r : catalogue.list()) {
      JsonArray renditions = new JsonArray();
      JsonObject segments = new JsonObject();
      r.renditions()
          .forEach(
              x -> {
                renditions.add(x.name());
                segments.put(x.name(), r.segments(x.name()));
              });
      String base = "/vod/" + r.name() + "/" + r.session() + "/";
      out.add(
          new JsonObject()
              .put("name", r.name())
              .put("session", r.session())
              .put("start", r.startedAt().toString())
              .put("durationSeconds", Math.round(r.duration() * 1000) / 1000.0)
              .put("segments", r.entries().size())
              .put("renditions", renditions)
              .put("segmentsByRendition", segments)
              .put("sizeBytes", r.size())
              .put("ended", r.ended())
              .put(
                  "playback",
                  new JsonObject()
                      .put("hls", base + "master.m3u8")
                      .put("dash", base + "manifest.mpd")));
    }
    out.addAll(others);
    rc.response()
        .putHeader(HttpHeaders.CACHE_CONTROL, LIST)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(out.encode());
  }

  private Recording recording(RoutingContext rc) {
    Recording r = catalogue.get(rc.pathParam("name"), rc.pathParam("session"));
    if (r == null) {
      notFound(rc, "no such recording");
    }
    return r;
  }

  private static void playlist(RoutingContext rc, Recording r, String text) {
    rc.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, PlaylistHandler.CONTENT_TYPE)
        .putHeader(HttpHeaders.CACHE_CONTROL, r.ended() ? FINISHED_PLAYLIST : GROWING_PLAYLIST)
        .end(text);
  }

  private static void notFound(RoutingContext rc, String why) {
    rc.response()
        .setStatusCode(404)
        .putHeader(HttpHeaders.CACHE_CONTROL, "public, max-age=0, s-maxage=1")
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
        .end(why + "\n");
  }
}
