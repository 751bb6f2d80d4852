package dev.headwater.media.rtmp;

import dev.headwater.media.amf.Amf0;
import dev.headwater.media.amf.Amf0Decoder;
import dev.headwater.media.amf.Amf0Result;
import dev.headwater.media.flv.FlvTag;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The server side of one RTMP publishing connection: client bytes in, reply bytes and {@link
 * RtmpEvent}s out. The caller owns the socket and the policy (which stream keys and names are
 * allowed); this class owns the protocol.
 *
 * <p>States:
 *
 * <ul>
 *   <li>{@code HANDSHAKE}: exchanging C0/C1/C2 with S0/S1/S2 (RTMP 5.2);
 *   <li>{@code CONNECTING}: handshake done, waiting for {@code connect} (RTMP 7.2.1.1);
 *   <li>{@code CONNECTED}: {@code connect} answered; {@code releaseStream}, {@code FCPublish} and
 *       {@code createStream} are answered here until {@code publish} arrives;
 *   <li>{@code PUBLISH_REQUESTED}: {@link RtmpEvent.PublishRequested} was emitted and the caller
 *       has not decided yet; metadata and media are queued, bounded by {@link
 *       RtmpLimits#maxQueuedMediaBytes()};
 *   <li>{@code UNPUBLISH_PENDING}: the client unpublished before the caller decided (only a client
 *       that does not wait for NetStream.Publish.Start can); further input is ignored, and the
 *       decision either releases the queue, ending with {@link RtmpEvent.Unpublished}, or drops it;
 *   <li>{@code PUBLISHING}: accepted; metadata and media are emitted as they arrive;
 *   <li>{@code CLOSED}: unpublished, rejected or failed; input is ignored.
 * </ul>
 *
 * <p>Memory before authentication: until the caller has checked the publisher's key ({@link
 * #authorize}, implied by {@link #acceptPublish}), partly received messages may hold at most {@link
 * RtmpLimits#maxPendingBytes()}, drawn from a budget shared by all such connections, and media or
 * metadata sent before {@code publish} is dropped. So an anonymous connection costs the server what
 * it sends, not what it announces.
 *
 * <p>Every client command besides those above is ignored, because publishers send assorted optional
 * commands ({@code getStreamLength}, {@code _checkbw}, ...) that need no answer.
 */
public final class RtmpPublishSession {

  public enum State {
    HANDSHAKE,
    CONNECTING,
    CONNECTED,
    PUBLISH_REQUESTED,
    UNPUBLISH_PENDING,
    PUBLISHING,
    CLOSED
  }

  /** Chunk stream for replies on the NetConnection (message stream 0), as FMS uses. */
  static final int COMMAND_CHUNK_STREAM = 3;

  /** Chunk stream for NetStream status messages. */
  static final int STREAM_CHUNK_STREAM = 5;

  /** The only stream id handed out by createStream: one publish per connection. */
  static final int PUBLISH_STREAM_ID = 1;

  private final RtmpLimits limits;
  private final RtmpHandshake handshake;
  private final RtmpChunkDecoder decoder;
  private final RtmpChunkEncoder encoder = new RtmpChunkEncoder();

  private State state = State.HANDSHAKE;
  private boolean authorized;
  private long bytesReceived;
  private long bytesAtLastAck;
  private long ackWindow;
  private String app = "";
  private String tcUrl = "";
  private String streamName = "";
  private int publishMessageStreamId = PUBLISH_STREAM_ID;
  private final List<RtmpEvent> queued = new ArrayList<>();
  private long queuedBytes;

  // Per-call output; the class is single-threaded by contract.
  private List<byte[]> toSend = new ArrayList<>();
  private List<RtmpEvent> events = new ArrayList<>();

  /**
   * @param limits bounds and sizes for this connection
   * @param handshakeRandom filler material for the handshake's S1 packet
   */
  public RtmpPublishSession(RtmpLimits limits, byte[] handshakeRandom) {
    this(limits, handshakeRandom, ReassemblyBudget.UNLIMITED);
  }

  /**
   * @param anonymousBudget where this connection's partial messages draw from until {@link
   *     #authorize} (shared by every connection not yet authorized); each connection may hold at
   *     most {@link RtmpLimits#maxPendingBytes()} of it
   */
  public RtmpPublishSession(
      RtmpLimits limits, byte[] handshakeRandom, ReassemblyBudget anonymousBudget) {
    this.limits = limits;
    this.handshake = new RtmpHandshake(handshakeRandom);
    this.decoder = new RtmpChunkDecoder(limits.maxMessageSize(), limits.maxChunkStreams());
    decoder.limitBuffered(limits.maxPendingBytes(), anonymousBudget);
    this.ackWindow = limits.windowAckSize();
  }

  /**
   * The caller checked the publisher's credentials: from now on its partial messages may hold up to
   * {@link RtmpLimits#maxPublishingBytes()}, outside the anonymous budget. Called by {@link
   * #acceptPublish} too. Idempotent.
   */
  public void authorize() {
    if (!authorized && state != State.CLOSED) {
      authorized = true;
      decoder.limitBuffered(limits.maxPublishingBytes(), ReassemblyBudget.UNLIMITED);
    }
  }

  /** Bytes held in partly received messages (for tests and metrics). */
  public long bufferedBytes() {
    return decoder.bufferedBytes();
  }

  /**
   * The connection is gone: returns what the decoder holds to its budget and ignores further input.
   * Idempotent.
   */
  public void dispose() {
    close();
  }

  public State state() {
    return state;
  }

  /** Total bytes received on the connection, handshake included. */
  public long bytesReceived() {
    return bytesReceived;
  }

  /** Feeds bytes read from the socket. */
  public SessionOutput onBytes(byte[] bytes, int offset, int length) {
    if (state == State.CLOSED || state == State.UNPUBLISH_PENDING) {
      return SessionOutput.empty();
    }
    if (bytes == null || offset < 0 || length < 0 || offset > bytes.length - length) {
      fail("caller passed a range outside the buffer");
      return flush();
    }
    bytesReceived += length;
    if (state == State.HANDSHAKE) {
      RtmpHandshakeResult h = handshake.feed(bytes, offset, length);
      if (h.toSend().length > 0) {
        toSend.add(h.toSend());
      }
      if (h.failed()) {
        fail(h.error());
        return flush();
      }
      if (!h.done()) {
        return flush();
      }
      state = State.CONNECTING;
      decode(h.leftover(), 0, h.leftover().length);
    } else {
      decode(bytes, offset, length);
    }
    acknowledgeIfDue();
    return flush();
  }

  /**
   * Accepts the pending publish: sends Stream Begin and NetStream.Publish.Start, then emits the
   * metadata and media that arrived while the caller was deciding. If the client already
   * unpublished, nothing is sent, the queued events end with {@link RtmpEvent.Unpublished} and the
   * session closes. Returns nothing if the session closed meanwhile (the client broke the
   * protocol).
   *
   * @throws IllegalStateException if no publish is pending and the session is not closed
   */
  public SessionOutput acceptPublish() {
    if (state == State.CLOSED) {
      return SessionOutput.empty();
    }
    requirePublishRequested();
    if (state == State.UNPUBLISH_PENDING) {
      events.addAll(queued);
      close();
      return flush();
    }
    // RTMP 7.1.7: Stream Begin tells the client the stream is functional.
    send(RtmpControl.userControlStreamBegin(publishMessageStreamId));
    // RTMP 7.2.2.6: the server answers publish with an onStatus command.
    sendStatus("status", "NetStream.Publish.Start", streamName + " is now published.");
    authorize();
    state = State.PUBLISHING;
    events.addAll(queued);
    queued.clear();
    queuedBytes = 0;
    return flush();
  }

  /**
   * Refuses the pending publish with an error onStatus (e.g. code {@code
   * NetStream.Publish.BadName}); the session is then closed and the caller should close the socket
   * once the returned bytes are written.
   *
   * @throws IllegalStateException if no publish is pending and the session is not closed
   */
  public SessionOutput rejectPublish(String code, String description) {
    if (state == State.CLOSED) {
      return SessionOutput.empty();
    }
    requirePublishRequested();
    if (state == State.PUBLISH_REQUESTED) {
      sendStatus("error", code, description);
    }
    close();
    return flush();
  }

  private void requirePublishRequested() {
    if (state != State.PUBLISH_REQUESTED && state != State.UNPUBLISH_PENDING) {
      throw new IllegalStateException("no publish is pending; session is " + state);
    }
  }

  private void decode(byte[] bytes, int offset, int length) {
    RtmpDecodeResult r = decoder.decode(bytes, offset, length);
    for (RtmpMessage m : r.messages()) {
      if (state == State.CLOSED || state == State.UNPUBLISH_PENDING) {
        return;
      }
      onMessage(m);
    }
    if (r.failed() && state != State.CLOSED && state != State.UNPUBLISH_PENDING) {
      fail(r.error());
    }
  }

  private void onMessage(RtmpMessage m) {
    switch (m.typeId()) {
      case RtmpMessage.WINDOW_ACK_SIZE -> onWindowAckSize(m);
      case RtmpMessage.AUDIO, RtmpMessage.VIDEO ->
          onMedia(new FlvTag(m.typeId(), m.timestamp(), m.payload()));
      case RtmpMessage.DATA_AMF0, RtmpMessage.DATA_AMF3 -> onData(m);
      case RtmpMessage.COMMAND_AMF0, RtmpMessage.COMMAND_AMF3 -> onCommand(m);
      default -> {
        // Set Chunk Size and Abort are applied by the decoder; Acknowledgement, User
        // Control, Set Peer Bandwidth, shared objects and aggregates need nothing from a
        // publish-only server.
      }
    }
  }

  private void onWindowAckSize(RtmpMessage m) {
    byte[] b = m.payload();
    if (b.length < 4) {
      return;
    }
    long size =
        ((b[0] & 0xFFL) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
    // RTMP 5.4.4: the client tells us after how many bytes it wants an acknowledgement.
    if (size > 0) {
      ackWindow = size;
    }
  }

  private void acknowledgeIfDue() {
    if (state == State.CLOSED || state == State.HANDSHAKE || state == State.UNPUBLISH_PENDING) {
      return;
    }
    // RTMP 5.4.3: acknowledge after receiving bytes equal to the window size.
    if (bytesReceived - bytesAtLastAck >= ackWindow) {
      bytesAtLastAck = bytesReceived;
      send(RtmpControl.acknowledgement(bytesReceived & 0xFFFFFFFFL));
    }
  }

  private void onMedia(FlvTag tag) {
    switch (state) {
      case PUBLISHING -> events.add(new RtmpEvent.Media(tag));
      case PUBLISH_REQUESTED -> enqueue(new RtmpEvent.Media(tag), tag.data().length);
      case HANDSHAKE, CONNECTING, CONNECTED, UNPUBLISH_PENDING, CLOSED -> {
        // Media before publish has no stream to belong to (and no credentials checked), so it
        // is dropped rather than held.
      }
    }
  }

  private void onData(RtmpMessage m) {
    byte[] b = m.payload();
    // RTMP 7.1.2: AMF3 data messages from these clients carry AMF0 values after a 0 byte.
    int offset = m.typeId() == RtmpMessage.DATA_AMF3 && b.length > 0 && b[0] == 0 ? 1 : 0;
    Amf0Result decoded = Amf0Decoder.decodeAll(b, offset, b.length - offset);
    if (!(decoded instanceof Amf0Result.Values v)) {
      // Broken metadata must not end a live stream; the media still plays without it.
      return;
    }
    List<Object> values = v.values();
    int i = 0;
    if (!values.isEmpty() && "@setDataFrame".equals(values.get(0))) {
      // FFmpeg, OBS and GStreamer wrap metadata as @setDataFrame("onMetaData", {...}).
      i = 1;
    }
    if (values.size() < i + 2
        || !"onMetaData".equals(values.get(i))
        || !(values.get(i + 1) instanceof Map<?, ?> map)) {
      return;
    }
    Map<String, Object> metadata = new LinkedHashMap<>();
    map.forEach((k, val) -> metadata.put(String.valueOf(k), val));
    RtmpEvent.Metadata event = new RtmpEvent.Metadata(metadata);
    switch (state) {
      case PUBLISHING -> events.add(event);
      case PUBLISH_REQUESTED -> enqueue(event, b.length);
      case HANDSHAKE, CONNECTING, CONNECTED, UNPUBLISH_PENDING, CLOSED -> {
        // As for media: before publish there is no stream to describe.
      }
    }
  }

  private void enqueue(RtmpEvent event, int size) {
    queuedBytes += size;
    if (queuedBytes > limits.maxQueuedMediaBytes()) {
      fail(
          "more than "
              + limits.maxQueuedMediaBytes()
              + " bytes of media arrived before the publish was accepted");
      return;
    }
    queued.add(event);
  }

  private void onCommand(RtmpMessage m) {
    RtmpCommandResult parsed = RtmpCommand.parse(m);
    if (parsed instanceof RtmpCommandResult.Invalid invalid) {
      fail("RTMP 7.1.1: " + invalid.reason());
      return;
    }
    RtmpCommand c = ((RtmpCommandResult.Parsed) parsed).command();
    switch (c.name()) {
      case "connect" -> onConnect(c);
      case "releaseStream", "FCPublish" -> {
        if (requireConnected(c)) {
          // Not in RTMP 1.0, but FMS answers both and some clients wait for the answer.
          replyResult(c, Amf0.UNDEFINED);
        }
      }
      case "createStream" -> {
        if (requireConnected(c)) {
          // RTMP 7.2.1.3: _result carries the new stream id.
          replyResult(c, (double) PUBLISH_STREAM_ID);
        }
      }
      case "publish" -> onPublish(c, m.messageStreamId());
      case "FCUnpublish" -> unpublish();
      case "deleteStream" -> {
        // RTMP 7.2.2.3: the argument is the id of the stream to delete.
        if (!c.args().isEmpty()
            && c.args().get(0) instanceof Double id
            && id == publishMessageStreamId) {
          unpublish();
        }
      }
      case "closeStream" -> {
        if (m.messageStreamId() == publishMessageStreamId) {
          unpublish();
        }
      }
      default -> {
        // getStreamLength, _checkbw, _result of our own calls and the like need no action.
      }
    }
  }

  private boolean requireConnected(RtmpCommand c) {
    if (state == State.CONNECTING) {
      fail("'" + c.name() + "' before connect");
      return false;
    }
    return true;
  }

  private void onConnect(RtmpCommand c) {
    if (state != State.CONNECTING) {
      fail("'connect' received while " + state);
      return;
    }
    if (c.commandObject() instanceof Map<?, ?> props) {
      app = props.get("app") instanceof String s ? s : "";
      tcUrl = props.get("tcUrl") instanceof String s ? s : "";
    }
    // RTMP 7.3.1 (figure): Window Acknowledgement Size, Set Peer Bandwidth, then _result.
    send(RtmpControl.windowAckSize(limits.windowAckSize()));
    send(RtmpControl.setPeerBandwidth(limits.windowAckSize(), RtmpControl.LIMIT_DYNAMIC));
    // RTMP 5.4.1: the new size applies to chunks after this message, on our side as on theirs.
    send(RtmpControl.setChunkSize(limits.outgoingChunkSize()));
    encoder.setChunkSize(limits.outgoingChunkSize());
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("fmsVer", "FMS/3,0,1,123");
    properties.put("capabilities", 31.0);
    Map<String, Object> information = new LinkedHashMap<>();
    information.put("level", "status");
    information.put("code", "NetConnection.Connect.Success");
    information.put("description", "Connection succeeded.");
    information.put("objectEncoding", 0.0);
    // RTMP 7.2.1.1: _result with the server's properties and the connection status.
    send(
        new RtmpCommand("_result", c.transactionId(), properties, List.of(information))
            .toMessage(COMMAND_CHUNK_STREAM, 0));
    state = State.CONNECTED;
  }

  private void onPublish(RtmpCommand c, int messageStreamId) {
    if (state != State.CONNECTED) {
      fail("'publish' received while " + state);
      return;
    }
    // RTMP 7.2.2.6: publish(null, publishingName, publishingType).
    if (c.args().isEmpty() || !(c.args().get(0) instanceof String name)) {
      fail("RTMP 7.2.2.6: publish without a publishing name");
      return;
    }
    int q = name.indexOf('?');
    streamName = q < 0 ? name : name.substring(0, q);
    String query = q < 0 ? "" : name.substring(q + 1);
    publishMessageStreamId = messageStreamId;
    state = State.PUBLISH_REQUESTED;
    events.add(new RtmpEvent.PublishRequested(app, streamName, query, tcUrl));
  }

  private void unpublish() {
    if (state == State.PUBLISHING) {
      events.add(new RtmpEvent.Unpublished());
      close();
    } else if (state == State.PUBLISH_REQUESTED) {
      // What the client sent before leaving still belongs to the caller if it accepts.
      queued.add(new RtmpEvent.Unpublished());
      state = State.UNPUBLISH_PENDING;
    }
  }

  private void replyResult(RtmpCommand c, Object result) {
    // RTMP 7.1.1: a zero transaction id means the sender expects no reply.
    if (c.transactionId() != 0) {
      send(
          new RtmpCommand("_result", c.transactionId(), Amf0.NULL, List.of(result))
              .toMessage(COMMAND_CHUNK_STREAM, 0));
    }
  }

  private void sendStatus(String level, String code, String description) {
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("level", level);
    info.put("code", code);
    info.put("description", description);
    info.put("details", streamName);
    send(
        new RtmpCommand("onStatus", 0, Amf0.NULL, List.of(info))
            .toMessage(STREAM_CHUNK_STREAM, publishMessageStreamId));
  }

  private void send(RtmpMessage m) {
    toSend.add(encoder.encode(m));
  }

  private void fail(String reason) {
    events.add(new RtmpEvent.Failed(reason));
    close();
  }

  private void close() {
    state = State.CLOSED;
    queued.clear();
    queuedBytes = 0;
    decoder.releaseAll();
  }

  private SessionOutput flush() {
    SessionOutput out = new SessionOutput(toSend, events);
    toSend = new ArrayList<>();
    events = new ArrayList<>();
    return out;
  }
}
