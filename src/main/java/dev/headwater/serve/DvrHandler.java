package dev.headwater.serve;

import dev.headwater.media.hls.MediaPlaylistWriter;
import dev.headwater.media.hls.MultivariantPlaylistWriter;
import dev.headwater.record.Recording;
import dev.headwater.timeline.LiveStream;
import dev.headwater.timeline.RenditionSnapshot;
import dev.headwater.timeline.StreamRegistry;
import dev.headwater.timeline.StreamSnapshot;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;

/**
 * {@code /live/NAME/dvr.m3u8} and {@code /live/NAME/SESSION/RENDITION/dvr.m3u8}: a live stream
 * viewers can rewind by up to {@code dvr.windowMinutes} ({@link DvrAssembler}). Only a recorded
 * stream has them: the recording holds what memory no longer does, and {@link MediaHandler} serves
 * those segments from it under their live URLs.
 */
final class DvrHandler {
  private final StreamRegistry registry;
  private final PlaylistAssembler assembler;
  private final RecordedMedia recorded;
  private final CachePolicy cache;
  private final double windowMinutes;
  private final Clock clock;

  DvrHandler(
      StreamRegistry registry,
      PlaylistAssembler assembler,
      RecordedMedia recorded,
      CachePolicy cache,
      double windowMinutes,
      Clock clock) {
    this.registry = registry;
    this.assembler = assembler;
    this.recorded = recorded;
    this.cache = cache;
    this.windowMinutes = windowMinutes;
    this.clock = clock;
  }

  void multivariant(RoutingContext rc) {
    LiveStream stream = registry.latest(rc.pathParam("name"));
    StreamSnapshot s = stream == null ? null : stream.snapshot();
    if (s == null || !s.ready() || recording(s) == null) {
      notFound(rc);
      return;
    }
    send(
        rc,
        MultivariantPlaylistWriter.write(DvrAssembler.multivariant(assembler.multivariant(s))),
        s.ended());
  }

  void media(RoutingContext rc) {
    LiveStream stream = registry.session(rc.pathParam("session"));
    StreamSnapshot s =
        stream == null || !stream.name().equals(rc.pathParam("name")) ? null : stream.snapshot();
    RenditionSnapshot r = s == null ? null : s.rendition(rc.pathParam("rendition"));
    Recording recording = s == null ? null : recording(s);
    if (r == null || recording == null || recording.rendition(r.name()) == null) {
      notFound(rc);
      return;
    }
    send(
        rc,
        MediaPlaylistWriter.write(
            DvrAssembler.media(
                recording,
                r,
                assembler.targetDuration(),
                clock.instant(),
                windowMinutes,
                s.ended())),
        s.ended());
  }

  private Recording recording(StreamSnapshot s) {
    return recorded.catalogue().get(s.stream(), s.sessionId());
  }

  private void send(RoutingContext rc, String text, boolean ended) {
    rc.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, PlaylistHandler.CONTENT_TYPE)
        .putHeader(HttpHeaders.CACHE_CONTROL, ended ? cache.endedPlaylist() : cache.livePlaylist())
        .end(text);
  }

  private void notFound(RoutingContext rc) {
    PlaylistHandler.error(
        rc.response(),
        404,
        cache.notFound(),
        "no DVR for this stream: it is not recorded (recording.streams), has not recorded its"
            + " first segment yet, or does not exist");
  }
}
