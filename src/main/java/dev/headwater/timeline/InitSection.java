package dev.headwater.timeline;

import dev.headwater.media.isobmff.InitSegment;
import dev.headwater.media.isobmff.TrackInfo;
import io.vertx.core.buffer.Buffer;

/**
 * One init segment (ftyp+moov) of a rendition; {@code id} is the encoder run that produced it,
 * {@code channels} its audio sample entry's channel count (0 for video).
 */
public record InitSection(
    int id, Buffer bytes, String codec, int width, int height, long timescale, int channels) {

  /**
   * The init segment of run {@code id}, its bytes wrapped (not copied) into the Buffer all
   * responses share.
   */
  public static InitSection of(int id, InitSegment init) {
    TrackInfo t = init.track();
    return new InitSection(
        id,
        SharedBuffers.wrap(init.bytes()),
        t.codec(),
        t.width(),
        t.height(),
        t.timescale(),
        t.isAudio() ? t.channelCount() : 0);
  }

  public String uri() {
    return "init-" + id + ".mp4";
  }
}
