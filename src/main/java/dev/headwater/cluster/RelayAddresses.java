package dev.headwater.cluster;

import io.vertx.core.json.JsonObject;

/**
 * The clustered event-bus addresses of the publish relay, with the payloads each carries. Unlike
 * {@code bus.Addresses} these cross origins, so every payload is a JsonObject or a Buffer ({@link
 * RelayWire}), never an in-process record.
 *
 * <p>The flow: the relaying origin (where the publisher is connected) sends a {@link Offer} to
 * {@link #originPublish} of the owning origin and waits for its {@link Answer}; once accepted it
 * sends the publisher's media to {@link #relayMedia} (one sender, one consumer: the bus keeps their
 * order) and the owner sends a close to {@link #relayControl}.
 */
public final class RelayAddresses {
  private RelayAddresses() {}

  /**
   * An origin's stream directory takes relayed publishers here (request-reply). Payload: {@link
   * Offer}; reply: {@link Answer}.
   */
  public static String originPublish(String node) {
    return "headwater.origin." + node + ".publish";
  }

  /**
   * One relayed publisher's media, relaying origin → owner. Each message has a {@link #KIND}
   * header: {@link #TAG} (a {@link RelayWire} tag Buffer, request-reply: the empty reply is the
   * owner's acknowledgement, deferred while the owner's sink is full), {@link #METADATA} (a {@link
   * RelayWire} metadata JsonObject) or {@link #END} (the publisher left; body: the reason).
   */
  public static String relayMedia(String relay) {
    return "headwater.relay." + relay;
  }

  /** Owner → relaying origin: close the publisher (body: the reason as a String). */
  public static String relayControl(String relay) {
    return "headwater.relay." + relay + ".publisher";
  }

  public static final String KIND = "kind";
  public static final String TAG = "tag";
  public static final String METADATA = "metadata";
  public static final String END = "end";

  /**
   * A publisher connected to {@code origin} asks the owner for {@code name}; its media will come on
   * {@link #relayMedia}({@code relay}).
   *
   * @param remoteAddress the publisher's address, for the owner's logs
   * @param origin the relaying origin's node id, watched by the owner (a relay whose origin left
   *     the cluster ends)
   */
  public record Offer(String name, String remoteAddress, String origin, String relay) {
    public JsonObject toJson() {
      return new JsonObject()
          .put("name", name)
          .put("remoteAddress", remoteAddress)
          .put("origin", origin)
          .put("relay", relay);
    }

    /** The offer, or null for a body that is not one. */
    public static Offer fromJson(Object body) {
      if (!(body instanceof JsonObject o)) {
        return null;
      }
      Offer offer =
          new Offer(
              o.getValue("name") instanceof String s ? s : null,
              o.getValue("remoteAddress") instanceof String s ? s : "?",
              o.getValue("origin") instanceof String s ? s : null,
              o.getValue("relay") instanceof String s ? s : null);
      return offer.name == null || offer.origin == null || offer.relay == null ? null : offer;
    }
  }

  /**
   * The owner's decision.
   *
   * @param refusalCode the NetStream status for the publisher when refused, null when accepted
   */
  public record Answer(String refusalCode, String reason) {
    public static Answer accepted() {
      return new Answer(null, null);
    }

    public boolean isAccepted() {
      return refusalCode == null;
    }

    public JsonObject toJson() {
      return new JsonObject().put("refusalCode", refusalCode).put("reason", reason);
    }

    public static Answer fromJson(Object body, String fallbackCode) {
      if (!(body instanceof JsonObject o)) {
        return new Answer(fallbackCode, "the owning origin gave no answer");
      }
      return new Answer(
          o.getValue("refusalCode") instanceof String s ? s : null,
          o.getValue("reason") instanceof String s ? s : null);
    }
  }
}
