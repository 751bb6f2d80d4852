package dev.headwater.timeline;

import io.vertx.core.buffer.Buffer;

/** One init segment (ftyp+moov) of a rendition; {@code id} is the encoder run that produced it. */
public record InitSection(int id, Buffer bytes, String codec, int width, int height, long timescale) {
  public String uri() {
    return "init-" + id + ".mp4";
  }
}
