package dev.headwater.media.rtmp;

import static dev.headwater.media.TestBytes.bytes;
import static dev.headwater.media.TestBytes.concat;
import static dev.headwater.media.TestBytes.pattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headwater.media.amf.Amf0Encoder;
import dev.headwater.media.flv.FlvTag;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class RtmpPublishSessionTest {

  static final RtmpLimits LIMITS = new RtmpLimits(1 << 20, 16, 4096, 2_500_000);
  static final String TC_URL = "rtmp://127.0.0.1:1935/live";
  static final byte[] AVC_SEQUENCE_HEADER = bytes(0x17, 0x00, 0x00, 0x00, 0x00, 0x01, 0x64, 0x00);
  static final byte[] AAC_SEQUENCE_HEADER = bytes(0xAF, 0x00, 0x12, 0x10);

  final RtmpPublishSession session = new RtmpPublishSession(LIMITS, bytes(7, 7, 7));
  final FakePublisher client = new FakePublisher();

  @Test
  void answersTheFfmpegPublishSequenceAndEmitsEventsInOrder() {
    SessionOutput hs = feed(FakePublisher.c0c1());
    assertEquals(1 + 2 * 1536, hs.toSend().get(0).length);
    assertTrue(client.read(hs).isEmpty());
    assertEquals(RtmpPublishSession.State.HANDSHAKE, session.state());

    // FFmpeg writes connect right behind C2.
    List<RtmpMessage> connectReplies =
        client.read(feed(concat(FakePublisher.c2(), client.connect("live", TC_URL))));
    assertEquals(RtmpPublishSession.State.CONNECTED, session.state());
    assertEquals(
        List.of(
            RtmpControl.windowAckSize(2_500_000),
            RtmpControl.setPeerBandwidth(2_500_000, 2),
            RtmpControl.setChunkSize(4096)),
        connectReplies.subList(0, 3));
    RtmpCommand connectResult = command(connectReplies.get(3));
    assertEquals("_result", connectResult.name());
    assertEquals(1.0, connectResult.transactionId());
    assertEquals(
        Map.of("fmsVer", "FMS/3,0,1,123", "capabilities", 31.0), connectResult.commandObject());
    Map<?, ?> info = (Map<?, ?>) connectResult.args().get(0);
    assertEquals("status", info.get("level"));
    assertEquals("NetConnection.Connect.Success", info.get("code"));
    assertEquals(0.0, info.get("objectEncoding"));

    List<RtmpMessage> streamReplies =
        client.read(
            feed(
                concat(
                    client.setChunkSize(4096),
                    client.command(3, 0, "releaseStream", 2, null, "name?key=abc"),
                    client.command(3, 0, "FCPublish", 3, null, "name?key=abc"),
                    client.command(3, 0, "createStream", 4, null))));
    assertEquals(
        List.of("_result/2.0", "_result/3.0", "_result/4.0"),
        streamReplies.stream()
            .map(
                m -> {
                  RtmpCommand c = command(m);
                  return c.name() + "/" + c.transactionId();
                })
            .toList());
    assertEquals(List.of(1.0), command(streamReplies.get(2)).args());

    SessionOutput publish = feed(client.command(8, 1, "publish", 5, null, "name?key=abc", "live"));
    assertEquals(
        List.of(new RtmpEvent.PublishRequested("live", "name", "key=abc", TC_URL)),
        publish.events());
    assertTrue(publish.toSend().isEmpty());
    assertEquals(RtmpPublishSession.State.PUBLISH_REQUESTED, session.state());

    List<RtmpMessage> accepted = client.read(session.acceptPublish());
    assertEquals(RtmpControl.userControlStreamBegin(1), accepted.get(0));
    RtmpCommand status = command(accepted.get(1));
    assertEquals("onStatus", status.name());
    assertEquals(1, accepted.get(1).messageStreamId());
    assertEquals("NetStream.Publish.Start", ((Map<?, ?>) status.args().get(0)).get("code"));
    assertEquals(RtmpPublishSession.State.PUBLISHING, session.state());

    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("width", 1280.0);
    meta.put("videocodecid", 7.0);
    byte[] keyframe = concat(bytes(0x17, 0x01, 0x00, 0x00, 0x00), pattern(9000, 3));
    SessionOutput media =
        feed(
            concat(
                client.metadata(meta),
                client.media(RtmpMessage.VIDEO, 0, AVC_SEQUENCE_HEADER),
                client.media(RtmpMessage.AUDIO, 0, AAC_SEQUENCE_HEADER),
                client.media(RtmpMessage.VIDEO, 33, keyframe)));
    assertEquals(
        List.of(
            new RtmpEvent.Metadata(meta),
            new RtmpEvent.Media(new FlvTag(9, 0, AVC_SEQUENCE_HEADER)),
            new RtmpEvent.Media(new FlvTag(8, 0, AAC_SEQUENCE_HEADER)),
            new RtmpEvent.Media(new FlvTag(9, 33, keyframe))),
        media.events());

    SessionOutput end =
        feed(
            concat(
                client.command(3, 0, "FCUnpublish", 6, null, "name?key=abc"),
                client.command(3, 0, "deleteStream", 7, null, 1.0)));
    assertEquals(List.of(new RtmpEvent.Unpublished()), end.events());
    assertEquals(RtmpPublishSession.State.CLOSED, session.state());
  }

  @Test
  void rejectSendsErrorStatusWithTheGivenCodeAndCloses() {
    publishUpTo("name");
    List<RtmpMessage> replies =
        client.read(session.rejectPublish("NetStream.Publish.BadName", "Stream key rejected"));
    assertEquals(1, replies.size());
    RtmpCommand status = command(replies.get(0));
    assertEquals("onStatus", status.name());
    Map<?, ?> info = (Map<?, ?>) status.args().get(0);
    assertEquals("error", info.get("level"));
    assertEquals("NetStream.Publish.BadName", info.get("code"));
    assertEquals("Stream key rejected", info.get("description"));
    assertEquals(RtmpPublishSession.State.CLOSED, session.state());
    assertEquals(
        SessionOutput.empty(), feed(client.media(RtmpMessage.VIDEO, 0, AVC_SEQUENCE_HEADER)));
  }

  @Test
  void queuesMediaThatArrivesBeforeAcceptanceAndEmitsItAfter() {
    handshakeAndConnect("live");
    // A pipelining client sends publish, metadata and media without waiting for onStatus.
    SessionOutput out =
        feed(
            concat(
                client.command(8, 1, "publish", 5, null, "name", "live"),
                client.metadata(Map.of("width", 640.0)),
                client.media(RtmpMessage.VIDEO, 0, AVC_SEQUENCE_HEADER),
                client.media(RtmpMessage.AUDIO, 10, AAC_SEQUENCE_HEADER)));
    assertEquals(List.of(new RtmpEvent.PublishRequested("live", "name", "", TC_URL)), out.events());
    assertEquals(
        List.of(
            new RtmpEvent.Metadata(Map.of("width", 640.0)),
            new RtmpEvent.Media(new FlvTag(9, 0, AVC_SEQUENCE_HEADER)),
            new RtmpEvent.Media(new FlvTag(8, 10, AAC_SEQUENCE_HEADER))),
        session.acceptPublish().events());
  }

  @Test
  void failsWhenQueuedMediaExceedsItsBound() {
    RtmpPublishSession small =
        new RtmpPublishSession(new RtmpLimits(1 << 20, 16, 4096, 2_500_000, 1000), new byte[0]);
    small.onBytes(FakePublisher.c0c1(), 0, 1537);
    byte[] rest =
        concat(
            FakePublisher.c2(),
            client.connect("live", TC_URL),
            client.command(8, 1, "publish", 5, null, "name", "live"),
            client.media(RtmpMessage.VIDEO, 0, new byte[600]),
            client.media(RtmpMessage.VIDEO, 1, new byte[600]));
    List<RtmpEvent> events = small.onBytes(rest, 0, rest.length).events();
    assertInstanceOf(RtmpEvent.Failed.class, events.get(events.size() - 1));
    assertEquals(RtmpPublishSession.State.CLOSED, small.state());
    assertEquals(SessionOutput.empty(), small.acceptPublish());
  }

  @Test
  void acknowledgesEachTimeTheClientsWindowIsExceeded() {
    publishAccepted("name");
    assertTrue(client.read(feed(client.encoder.encode(RtmpControl.windowAckSize(5000)))).isEmpty());
    long lastAck = 0;
    int acks = 0;
    for (int i = 0; i < 12; i++) {
      List<RtmpMessage> replies =
          client.read(feed(client.media(RtmpMessage.VIDEO, i, new byte[1000])));
      long total = session.bytesReceived();
      if (total - lastAck >= 5000) {
        // RTMP 5.4.3: the sequence number is the byte count received so far.
        assertEquals(List.of(RtmpControl.acknowledgement(total)), replies);
        lastAck = total;
        acks++;
      } else {
        assertTrue(replies.isEmpty(), replies.toString());
      }
    }
    assertEquals(3, acks);
  }

  @Test
  void acknowledgesWithTheServersWindowWhenTheClientSetsNone() {
    RtmpPublishSession s =
        new RtmpPublishSession(new RtmpLimits(1 << 20, 16, 4096, 6000), new byte[0]);
    byte[] all =
        concat(
            FakePublisher.c0c1(),
            FakePublisher.c2(),
            client.connect("live", TC_URL),
            client.media(RtmpMessage.VIDEO, 0, new byte[3000]));
    SessionOutput out = s.onBytes(all, 0, all.length);
    RtmpMessage last = new FakePublisher().read(out).stream().reduce((a, b) -> b).orElseThrow();
    assertEquals(RtmpControl.acknowledgement(all.length), last);
  }

  @Test
  void emitsBareOnMetaDataToo() {
    publishAccepted("name");
    byte[] body = Amf0Encoder.encode("onMetaData", Map.of("duration", 0.0));
    SessionOutput out = feed(client.encoder.encode(new RtmpMessage(18, 0, 1, 4, body)));
    assertEquals(List.of(new RtmpEvent.Metadata(Map.of("duration", 0.0))), out.events());
  }

  @Test
  void ignoresOtherDataMessagesAndMalformedMetadata() {
    publishAccepted("name");
    SessionOutput out =
        feed(
            concat(
                client.encoder.encode(
                    new RtmpMessage(
                        18, 0, 1, 4, Amf0Encoder.encode("onTextData", Map.of("text", "hi")))),
                client.encoder.encode(new RtmpMessage(18, 0, 1, 4, bytes(0x02, 0x00, 0x20)))));
    assertTrue(out.events().isEmpty());
    assertEquals(RtmpPublishSession.State.PUBLISHING, session.state());
  }

  @Test
  void keepsAQueryInTheConnectAppRaw() {
    handshakeAndConnect("live?key=x");
    SessionOutput out = feed(client.command(8, 1, "publish", 5, null, "cam", "live"));
    assertEquals(
        List.of(new RtmpEvent.PublishRequested("live?key=x", "cam", "", TC_URL)), out.events());
  }

  @Test
  void ignoresUnknownCommandsAndRepliesNothingToZeroTransactions() {
    handshakeAndConnect("live");
    SessionOutput out =
        feed(
            concat(
                client.command(8, 1, "getStreamLength", 9, null, "name"),
                client.command(3, 0, "_checkbw", 0, null),
                client.command(3, 0, "releaseStream", 0, null, "name")));
    assertTrue(out.toSend().isEmpty());
    assertTrue(out.events().isEmpty());
    assertEquals(RtmpPublishSession.State.CONNECTED, session.state());
  }

  @Test
  void unpublishesOnCloseStreamOfThePublishingStream() {
    publishAccepted("name");
    assertEquals(
        List.of(new RtmpEvent.Unpublished()),
        feed(client.command(8, 1, "closeStream", 0, null)).events());
  }

  @Test
  void unpublishesOnDeleteStreamOfThePublishingStreamOnly() {
    publishAccepted("name");
    assertTrue(feed(client.command(3, 0, "deleteStream", 8, null, 2.0)).events().isEmpty());
    assertEquals(
        List.of(new RtmpEvent.Unpublished()),
        feed(client.command(3, 0, "deleteStream", 9, null, 1.0)).events());
  }

  @Test
  void failsOnHandshakeVersionOtherThan3() {
    byte[] c0c1 = FakePublisher.c0c1();
    c0c1[0] = 6;
    SessionOutput out = feed(c0c1);
    assertTrue(out.toSend().isEmpty());
    assertFailed(out, "version 6");
  }

  @Test
  void failsOnMalformedChunkStream() {
    feed(FakePublisher.c0c1());
    SessionOutput out = feed(concat(FakePublisher.c2(), bytes(0xC9)));
    assertFailed(out, "starts with a type 3 header");
    assertEquals(SessionOutput.empty(), feed(client.connect("live", TC_URL)));
  }

  @Test
  void failsOnCommandsBeforeConnect() {
    feed(FakePublisher.c0c1());
    assertFailed(
        feed(concat(FakePublisher.c2(), client.command(3, 0, "createStream", 2, null))),
        "before connect");
  }

  @Test
  void failsOnPublishWithoutAName() {
    handshakeAndConnect("live");
    assertFailed(feed(client.command(8, 1, "publish", 5, null)), "publishing name");
  }

  @Test
  void failsOnUndecodableCommand() {
    handshakeAndConnect("live");
    assertFailed(
        feed(client.encoder.encode(new RtmpMessage(20, 0, 0, 3, bytes(0x02, 0x00, 0x09)))),
        "RTMP 7.1.1");
  }

  @Test
  void refusesToAcceptWhenNoPublishIsPending() {
    handshakeAndConnect("live");
    assertThrows(IllegalStateException.class, session::acceptPublish);
    assertThrows(
        IllegalStateException.class, () -> session.rejectPublish("NetStream.Publish.BadName", "x"));
  }

  @Test
  void holdsAnUnpublishBeforeTheDecisionAndReleasesItOnAccept() {
    handshakeAndConnect("live");
    SessionOutput out =
        feed(
            concat(
                client.command(8, 1, "publish", 5, null, "name", "live"),
                client.media(RtmpMessage.VIDEO, 0, AVC_SEQUENCE_HEADER),
                client.command(3, 0, "FCUnpublish", 0, null, "name"),
                client.media(RtmpMessage.VIDEO, 40, AVC_SEQUENCE_HEADER)));
    assertEquals(List.of(new RtmpEvent.PublishRequested("live", "name", "", TC_URL)), out.events());
    assertEquals(RtmpPublishSession.State.UNPUBLISH_PENDING, session.state());
    SessionOutput accepted = session.acceptPublish();
    assertTrue(accepted.toSend().isEmpty());
    assertEquals(
        List.of(
            new RtmpEvent.Media(new FlvTag(9, 0, AVC_SEQUENCE_HEADER)),
            new RtmpEvent.Unpublished()),
        accepted.events());
    assertEquals(RtmpPublishSession.State.CLOSED, session.state());
  }

  @Test
  void rejectingAfterTheClientLeftSendsNothing() {
    publishUpTo("name");
    feed(client.command(3, 0, "FCUnpublish", 0, null, "name"));
    assertEquals(SessionOutput.empty(), session.rejectPublish("NetStream.Publish.BadName", "x"));
    assertEquals(RtmpPublishSession.State.CLOSED, session.state());
  }

  @Test
  void returnsNothingWhenAcceptingAfterAProtocolFailure() {
    publishUpTo("name");
    assertFailed(
        feed(client.command(8, 1, "publish", 6, null, "again", "live")),
        "'publish' received while");
    assertEquals(SessionOutput.empty(), session.acceptPublish());
  }

  private void handshakeAndConnect(String app) {
    client.read(feed(FakePublisher.c0c1()));
    client.read(
        feed(concat(FakePublisher.c2(), client.connect(app, TC_URL), client.setChunkSize(4096))));
    assertEquals(RtmpPublishSession.State.CONNECTED, session.state());
  }

  private void publishUpTo(String name) {
    handshakeAndConnect("live");
    client.read(feed(client.command(3, 0, "createStream", 4, null)));
    feed(client.command(8, 1, "publish", 5, null, name, "live"));
    assertEquals(RtmpPublishSession.State.PUBLISH_REQUESTED, session.state());
  }

  private void publishAccepted(String name) {
    publishUpTo(name);
    client.read(session.acceptPublish());
  }

  private SessionOutput feed(byte[] bytes) {
    return session.onBytes(bytes, 0, bytes.length);
  }

  private static RtmpCommand command(RtmpMessage m) {
    return assertInstanceOf(RtmpCommandResult.Parsed.class, RtmpCommand.parse(m)).command();
  }

  private static void assertFailed(SessionOutput out, String reasonPart) {
    Predicate<RtmpEvent> matches =
        e -> e instanceof RtmpEvent.Failed f && f.reason().contains(reasonPart);
    assertTrue(out.events().stream().anyMatch(matches), out.events().toString());
  }
}
