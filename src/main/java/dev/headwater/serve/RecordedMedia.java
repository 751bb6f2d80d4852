package dev.headwater.serve;

import dev.headwater.record.Catalogue;
import dev.headwater.record.RecordedSegment;
import dev.headwater.record.Recording;
import dev.headwater.record.RecordingEntry;
import dev.headwater.record.RecordingKeys;
import dev.headwater.record.RecordingReader;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Media of a recording, read from storage: replay ({@code /vod/...}) and DVR viewers of a live
 * stream asking for segments older than the in-memory window ({@code /live/...}, same URLs).
 */
final class RecordedMedia {
  private static final Logger LOG = LoggerFactory.getLogger(RecordedMedia.class);
  private static final Pattern INIT = Pattern.compile("init-(\\d{1,9})\\.mp4");
  private static final Pattern SEGMENT = Pattern.compile("s(\\d{1,18})\\.m4s");

  private final Catalogue catalogue;
  private final RecordingReader reader;

  RecordedMedia(Catalogue catalogue, RecordingReader reader) {
    this.catalogue = catalogue;
    this.reader = reader;
  }

  Catalogue catalogue() {
    return catalogue;
  }

  /**
   * Sends {@code file} of a rendition of recording (name, session) when the recording lists it;
   * returns false, having sent nothing, when it does not.
   */
  boolean serve(
      HttpServerRequest req,
      String name,
      String session,
      String rendition,
      String file,
      CharSequence cacheControl) {
    Recording r = catalogue.get(name, session);
    String key = r == null ? null : keyOf(r, rendition, file);
    if (key == null) {
      return false;
    }
    String type = file.endsWith(".mp4") ? "video/mp4" : "video/iso.segment";
    reader
        .read(key)
        .onComplete(
            ar -> {
              HttpServerResponse res = req.response();
              if (ar.failed() || ar.result() == null) {
                if (ar.failed() && !(ar.cause() instanceof RecordingReader.Busy)) {
                  LOG.warn("Recorded media: cannot read {}: {}", key, ar.cause().toString());
                }
                // Unreadable now, or deleted by retention since the catalogue was read.
                res.setStatusCode(ar.failed() ? 503 : 404)
                    .putHeader(HttpHeaders.CACHE_CONTROL, CachePolicy.NO_STORE)
                    .end();
                return;
              }
              res.putHeader(HttpHeaders.CONTENT_TYPE, type)
                  .putHeader(HttpHeaders.CACHE_CONTROL, cacheControl);
              if (req.method() == HttpMethod.HEAD) {
                res.putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(ar.result().length()))
                    .end();
              } else {
                res.end(ar.result());
              }
            });
    return true;
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
}
