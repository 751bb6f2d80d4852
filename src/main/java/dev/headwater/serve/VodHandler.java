package dev.headwater.serve;

import dev.headwater.media.hls.MediaPlaylistWriter;
import dev.headwater.media.hls.MultivariantPlaylistWriter;
import dev.headwater.record.Catalogue;
import dev.headwater.record.RecordedSegment;
import dev.headwater.record.Recording;
import dev.headwater.record.RecordingEntry;
import dev.headwater.record.RecordingKeys;
import dev.headwater.record.RecordingReader;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replay of recordings: {@code /vod/NAME/SESSION/master.m3u8}, its media playlists and media (read
 * from the store), and {@code GET /api/recordings}.
 *
 * <p>Caching: a finished recording never changes, so its playlists and media are cached for an hour
 * and a day; one still being recorded is an EVENT playlist that grows with every segment, cached
 * half a target duration like a live playlist. A recording deleted by retention may be served by a
 * CDN until those times run out.
 */
final class VodHandler {
  private static final Logger LOG = LoggerFactory.getLogger(VodHandler.class);
  private static final Pattern INIT = Pattern.compile("init-(\\d{1,9})\\.mp4");
  private static final Pattern SEGMENT = Pattern.compile("s(\\d{1,18})\\.m4s");
  static final String FINISHED_PLAYLIST = "public, max-age=3600";
  static final String GROWING_PLAYLIST = "public, max-age=1";
  static final String MEDIA = "public, max-age=86400, immutable";
  static final String LIST = "public, max-age=2";

  private final Catalogue catalogue;
  private final RecordingReader reader;

  VodHandler(Catalogue catalogue, RecordingReader reader) {
    this.catalogue = catalogue;
    this.reader = reader;
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

  void file(RoutingContext rc) {
    Recording r = recording(rc);
    if (r == null) {
      return;
    }
    String rendition = rc.pathParam("rendition");
    String file = rc.pathParam("file");
    String key = keyOf(r, rendition, file);
    if (key == null) {
      notFound(rc, "not in this recording");
      return;
    }
    String type = file.endsWith(".mp4") ? "video/mp4" : "video/iso.segment";
    reader
        .read(key)
        .onComplete(
            ar -> {
              HttpServerResponse res = rc.response();
              if (ar.failed()) {
                boolean busy = ar.cause() instanceof RecordingReader.Busy;
                if (!busy) {
                  LOG.warn("Replay: cannot read {}: {}", key, ar.cause().toString());
                }
                res.setStatusCode(503)
                    .putHeader(HttpHeaders.CACHE_CONTROL, CachePolicy.NO_STORE)
                    .putHeader("Retry-After", "1")
                    .end();
                return;
              }
              if (ar.result() == null) {
                // Listed but gone: retention deleted it between the catalogue read and this one.
                notFound(rc, "deleted");
                return;
              }
              res.putHeader(HttpHeaders.CONTENT_TYPE, type)
                  .putHeader(HttpHeaders.CACHE_CONTROL, MEDIA);
              if (rc.request().method() == HttpMethod.HEAD) {
                res.putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(ar.result().length()))
                    .end();
              } else {
                res.end(ar.result());
              }
            });
  }

  void list(RoutingContext rc) {
    JsonArray out = new JsonArray();
    for (Recording r : catalogue.list()) {
      JsonArray renditions = new JsonArray();
      r.renditions().forEach(x -> renditions.add(x.name()));
      String base = "/vod/" + r.name() + "/" + r.session() + "/";
      out.add(
          new JsonObject()
              .put("name", r.name())
              .put("session", r.session())
              .put("start", r.startedAt().toString())
              .put("durationSeconds", Math.round(r.duration() * 1000) / 1000.0)
              .put("segments", r.entries().size())
              .put("renditions", renditions)
              .put("sizeBytes", r.size())
              .put("ended", r.ended())
              .put(
                  "playback",
                  new JsonObject()
                      .put("hls", base + "master.m3u8")
                      .put("dash", base + "manifest.mpd")));
    }
    rc.response()
        .putHeader(HttpHeaders.CACHE_CONTROL, LIST)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(out.encode());
  }

  /** The store key of a file the recording lists, or null. */
  private static String keyOf(Recording r, String rendition, String file) {
    if (r.rendition(rendition) == null) {
      return null;
    }
    Matcher m = SEGMENT.matcher(file);
    if (m.matches()) {
      long msn = Long.parseLong(m.group(1));
      RecordingEntry e = r.entry(msn);
      return e == null || !e.segments().containsKey(rendition)
          ? null
          : RecordingKeys.segment(r.name(), r.session(), rendition, msn);
    }
    m = INIT.matcher(file);
    if (m.matches()) {
      int run = Integer.parseInt(m.group(1));
      for (RecordingEntry e : r.entries()) {
        RecordedSegment s = e.segments().get(rendition);
        if (s != null && s.init() == run) {
          return RecordingKeys.init(r.name(), r.session(), rendition, run);
        }
      }
    }
    return null;
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
        .putHeader(HttpHeaders.CACHE_CONTROL, "public, max-age=1")
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
        .end(why + "\n");
  }
}
