package dev.headwater.media.rtmp;

import static dev.headwater.media.TestBytes.concat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.headwater.media.FuzzSeeds;
import dev.headwater.media.FuzzSplits;
import dev.headwater.media.TestBytes;
import dev.headwater.media.amf.Amf0EcmaArray;
import dev.headwater.media.rtmp.RtmpPublishSession.State;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the RTMP chunk decoder through the publish session's state machine: a valid handshake,
 * then fuzzed client bytes in fuzzed read sizes, with the caller accepting, rejecting or ignoring
 * the publish request. Nothing may throw, every state change must be one the class comment allows,
 * every output must be well formed and the server's own bytes must decode as a chunk stream.
 *
 * <p>Input layout: one control byte, then what the client sends after C2. Control bits 0-1 and 4-7
 * choose the read sizes ({@link FuzzSplits}); bits 2-3 the caller: accept at once, reject, accept
 * one read later, or never decide.
 *
 * <p>Seeds: {@code RtmpPublishSessionFuzzTestInputs/publishSession/}, written by {@link #seeds()}
 * ({@link FuzzSeeds}).
 */
class RtmpPublishSessionFuzzTest {

  /**
   * Small bounds keep a fuzzed message header from allocating much (8 streams of 64 KiB), a small
   * window makes acknowledgements frequent and a small queue makes the queue bound reachable.
   */
  static final RtmpLimits LIMITS = new RtmpLimits(64 * 1024, 8, 4096, 5000, 16 * 1024);

  static final byte[] C0C1 = FakePublisher.c0c1();
  static final byte[] C2 = FakePublisher.c2();

  static final int ACCEPT = 0;
  static final int REJECT = 1;
  static final int ACCEPT_LATER = 2;
  static final int NEVER_DECIDE = 3;

  @FuzzTest(maxDuration = "20s")
  void publishSession(byte[] input) {
    if (input.length == 0) {
      return;
    }
    int control = input[0] & 0xFF;
    byte[] wire = concat(C0C1, C2, Arrays.copyOfRange(input, 1, input.length));
    new Run((control >>> 2) & 3).feed(wire, FuzzSplits.pieces(control, wire.length));
  }

  @Test
  void seedCorpusIsCommitted() {
    FuzzSeeds.check(RtmpPublishSessionFuzzTest.class, "publishSession", seeds());
  }

  /** Seed inputs: real publishes as FFmpeg and {@link FakePublisher} send them. */
  static Map<String, byte[]> seeds() {
    byte[] capture = TestBytes.resource("/fixtures/rtmp/ffmpeg-publish.bin");
    byte[] ffmpeg = Arrays.copyOfRange(capture, 1 + 2 * RtmpHandshake.PACKET_SIZE, capture.length);
    Map<String, byte[]> seeds = new LinkedHashMap<>();
    seeds.put("ffmpeg-publish-whole-accept", control(FuzzSplits.WHOLE, ACCEPT, 0, ffmpeg));
    seeds.put(
        "ffmpeg-publish-socket-reads-later",
        control(FuzzSplits.SOCKET_LIKE, ACCEPT_LATER, 5, ffmpeg));
    byte[] fake = fakePublish();
    seeds.put("fake-publish-small-reads-accept", control(FuzzSplits.SMALL, ACCEPT, 1, fake));
    seeds.put("fake-publish-bytewise-reject", control(FuzzSplits.SINGLE_BYTES, REJECT, 0, fake));
    seeds.put("fake-publish-undecided", control(FuzzSplits.WHOLE, NEVER_DECIDE, 0, fake));
    return seeds;
  }

  private static byte[] control(int splits, int decision, int seed, byte[] body) {
    return concat(new byte[] {(byte) (splits | decision << 2 | seed << 4)}, body);
  }

  /** The whole FFmpeg-like publish of {@link FakePublisher}, from connect to deleteStream. */
  private static byte[] fakePublish() {
    FakePublisher c = new FakePublisher();
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("width", 320.0);
    meta.put("height", 240.0);
    meta.put("videocodecid", 7.0);
    meta.put("audiocodecid", 10.0);
    return concat(
        c.connect("live", "rtmp://127.0.0.1:1935/live"),
        c.setChunkSize(4096),
        c.command(3, 0, "releaseStream", 2, null, "cam?key=abc"),
        c.command(3, 0, "FCPublish", 3, null, "cam?key=abc"),
        c.command(3, 0, "createStream", 4, null),
        c.command(8, 1, "publish", 5, null, "cam?key=abc", "live"),
        c.metadata(meta),
        c.media(RtmpMessage.VIDEO, 0, TestBytes.bytes(0x17, 0, 0, 0, 0, 1, 0x64, 0, 0x1F)),
        c.media(RtmpMessage.AUDIO, 0, TestBytes.bytes(0xAF, 0x00, 0x12, 0x10)),
        c.media(RtmpMessage.VIDEO, 33, concat(TestBytes.bytes(0x17, 1, 0, 0, 0), new byte[300])),
        c.encoder.encode(
            new RtmpMessage(
                RtmpMessage.DATA_AMF0,
                0,
                1,
                4,
                dev.headwater.media.amf.Amf0Encoder.encode(
                    "onMetaData", new Amf0EcmaArray(Map.of("framerate", 30.0))))),
        c.command(3, 0, "FCUnpublish", 6, null, "cam?key=abc"),
        c.command(3, 0, "deleteStream", 7, null, 1.0));
  }

  /** One session and everything the checks remember about it. */
  static final class Run {
    private final int decision;
    private final RtmpPublishSession session = new RtmpPublishSession(LIMITS, new byte[] {7});
    private final ServerBytes server = new ServerBytes();
    private long fed;
    private long mediaOut;
    private boolean publishRequested;
    private boolean ended;
    private int reads;
    private int requestedAtRead = -1;

    Run(int decision) {
      this.decision = decision;
    }

    void feed(byte[] wire, List<Integer> pieces) {
      int p = 0;
      for (int n : pieces) {
        State before = session.state();
        SessionOutput out = session.onBytes(wire, p, n);
        p += n;
        fed += n;
        reads++;
        checkRead(before, out);
        decide(false);
      }
      decide(true);
    }

    private void decide(boolean atEnd) {
      State s = session.state();
      if (s != State.PUBLISH_REQUESTED && s != State.UNPUBLISH_PENDING) {
        return;
      }
      if (requestedAtRead < 0) {
        requestedAtRead = reads;
      }
      switch (decision) {
        case ACCEPT -> accept();
        case REJECT -> reject();
        case ACCEPT_LATER -> {
          if (atEnd || reads > requestedAtRead) {
            accept();
          }
        }
        default -> {
          // The caller never decides; the session must keep holding (bounded) input.
        }
      }
    }

    private void checkRead(State before, SessionOutput out) {
      State after = session.state();
      assertTrue(
          READ_TRANSITIONS.get(before).contains(after), "onBytes moved " + before + " -> " + after);
      if (before == State.CLOSED || before == State.UNPUBLISH_PENDING) {
        assertTrue(out.toSend().isEmpty() && out.events().isEmpty(), "output after " + before);
      }
      List<RtmpEvent> events = out.events();
      for (int i = 0; i < events.size(); i++) {
        RtmpEvent e = events.get(i);
        boolean last = i == events.size() - 1;
        assertFalse(ended, "event after the session ended: " + e);
        if (e instanceof RtmpEvent.PublishRequested r) {
          assertFalse(publishRequested, "second PublishRequested");
          publishRequested = true;
          assertTrue(before.compareTo(State.PUBLISH_REQUESTED) < 0, "publish while " + before);
          assertNotNull(r.app());
          assertNotNull(r.query());
          assertNotNull(r.tcUrl());
          assertFalse(r.streamName().contains("?"), r.streamName());
        } else if (e instanceof RtmpEvent.Media m) {
          assertEquals(State.PUBLISHING, before, "media emitted while " + before);
          checkMedia(m);
        } else if (e instanceof RtmpEvent.Metadata m) {
          assertEquals(State.PUBLISHING, before, "metadata emitted while " + before);
          m.values().keySet().forEach(k -> assertNotNull(k));
        } else if (e instanceof RtmpEvent.Unpublished) {
          assertEquals(State.PUBLISHING, before, "Unpublished emitted while " + before);
          assertTrue(last, "Unpublished is not the last event");
          ended = true;
        } else if (e instanceof RtmpEvent.Failed f) {
          assertTrue(last, "Failed is not the last event");
          assertFalse(f.reason().isEmpty());
          ended = true;
        }
      }
      if (after == State.CLOSED && before != State.CLOSED) {
        assertTrue(ended, "closed without Failed or Unpublished");
      }
      if (after == State.PUBLISH_REQUESTED || after == State.UNPUBLISH_PENDING) {
        assertTrue(publishRequested, after + " without PublishRequested");
      }
      assertTrue(session.bytesReceived() <= fed, "counted more bytes than were fed");
      assertTrue(mediaOut <= fed, "emitted more media bytes than were fed");
      server.add(out);
    }

    private void accept() {
      State before = session.state();
      SessionOutput out = session.acceptPublish();
      State after = session.state();
      long released = 0;
      for (int i = 0; i < out.events().size(); i++) {
        RtmpEvent e = out.events().get(i);
        boolean last = i == out.events().size() - 1;
        if (e instanceof RtmpEvent.Media m) {
          released += checkMedia(m);
        } else if (e instanceof RtmpEvent.Metadata m) {
          assertNotNull(m.values());
        } else if (e instanceof RtmpEvent.Unpublished) {
          assertEquals(State.UNPUBLISH_PENDING, before);
          assertTrue(last, "Unpublished is not the last event");
          ended = true;
        } else {
          fail("acceptPublish emitted " + e);
        }
      }
      // RtmpLimits.maxQueuedMediaBytes bounds what is held while the caller decides.
      assertTrue(released <= LIMITS.maxQueuedMediaBytes(), released + " queued media bytes");
      if (before == State.PUBLISH_REQUESTED) {
        assertEquals(State.PUBLISHING, after);
        assertFalse(out.toSend().isEmpty(), "accept sent no NetStream.Publish.Start");
      } else {
        assertEquals(State.CLOSED, after);
        assertTrue(out.toSend().isEmpty(), "accept answered a client that left");
        assertTrue(ended, "accept after unpublish did not end with Unpublished");
      }
      server.add(out);
    }

    private void reject() {
      State before = session.state();
      SessionOutput out = session.rejectPublish("NetStream.Publish.BadName", "fuzz");
      assertEquals(State.CLOSED, session.state());
      assertTrue(out.events().isEmpty(), "reject emitted " + out.events());
      assertEquals(before == State.PUBLISH_REQUESTED, !out.toSend().isEmpty());
      ended = true;
      server.add(out);
    }

    private long checkMedia(RtmpEvent.Media m) {
      int type = m.tag().tagType();
      assertTrue(type == RtmpMessage.AUDIO || type == RtmpMessage.VIDEO, "tag type " + type);
      long n = m.tag().data().length;
      mediaOut += n;
      return n;
    }
  }

  /** What onBytes may do to the state: forward only, never to PUBLISHING (only accept can). */
  static final Map<State, Set<State>> READ_TRANSITIONS =
      Map.of(
          State.HANDSHAKE,
          EnumSet.of(
              State.HANDSHAKE,
              State.CONNECTING,
              State.CONNECTED,
              State.PUBLISH_REQUESTED,
              State.UNPUBLISH_PENDING,
              State.CLOSED),
          State.CONNECTING,
          EnumSet.of(
              State.CONNECTING,
              State.CONNECTED,
              State.PUBLISH_REQUESTED,
              State.UNPUBLISH_PENDING,
              State.CLOSED),
          State.CONNECTED,
          EnumSet.of(
              State.CONNECTED, State.PUBLISH_REQUESTED, State.UNPUBLISH_PENDING, State.CLOSED),
          State.PUBLISH_REQUESTED,
          EnumSet.of(State.PUBLISH_REQUESTED, State.UNPUBLISH_PENDING, State.CLOSED),
          State.UNPUBLISH_PENDING,
          EnumSet.of(State.UNPUBLISH_PENDING),
          State.PUBLISHING,
          EnumSet.of(State.PUBLISHING, State.CLOSED),
          State.CLOSED,
          EnumSet.of(State.CLOSED));

  /**
   * The server's side of the wire: S0, S1 and S2 (which must echo C1), then a chunk stream that
   * must decode without error.
   */
  static final class ServerBytes {
    private final byte[] handshake = new byte[1 + 2 * RtmpHandshake.PACKET_SIZE];
    private int handshakeFill;
    private final RtmpChunkDecoder decoder = new RtmpChunkDecoder(1 << 20, 16);

    void add(SessionOutput out) {
      for (byte[] b : out.toSend()) {
        int n = Math.min(handshake.length - handshakeFill, b.length);
        System.arraycopy(b, 0, handshake, handshakeFill, n);
        handshakeFill += n;
        if (n > 0 && handshakeFill == handshake.length) {
          assertEquals(RtmpHandshake.VERSION, handshake[0]);
          assertArrayEquals(
              Arrays.copyOfRange(C0C1, 1, C0C1.length),
              Arrays.copyOfRange(handshake, 1 + RtmpHandshake.PACKET_SIZE, handshake.length),
              "S2 must echo C1");
        }
        RtmpDecodeResult r = decoder.decode(b, n, b.length - n);
        assertFalse(r.failed(), () -> "server sent a malformed chunk stream: " + r.error());
      }
    }
  }
}
