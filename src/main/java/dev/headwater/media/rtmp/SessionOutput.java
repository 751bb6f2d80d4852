package dev.headwater.media.rtmp;

import java.util.List;

/**
 * The effects of one call into {@link RtmpPublishSession}.
 *
 * @param toSend byte arrays to write to the socket, in this order
 * @param events what happened, in wire order
 */
public record SessionOutput(List<byte[]> toSend, List<RtmpEvent> events) {

  public SessionOutput {
    toSend = List.copyOf(toSend);
    events = List.copyOf(events);
  }

  public static SessionOutput empty() {
    return new SessionOutput(List.of(), List.of());
  }
}
