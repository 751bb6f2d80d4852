package dev.headwater.media.rtmp;

import static dev.headwater.media.TestBytes.concat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the decoder holds for messages that are announced but not (yet) sent. */
class RtmpChunkMemoryTest {
  static final int MIB = 1024 * 1024;

  /** A type 0 chunk header announcing a video message of {@code length} bytes on {@code csid}. */
  static byte[] header(int csid, int length) {
    return new byte[] {
      (byte) csid, // fmt 0, one-byte basic header (csid 2..63)
      0,
      0,
      0, // timestamp
      (byte) (length >>> 16),
      (byte) (length >>> 8),
      (byte) length,
      RtmpMessage.VIDEO,
      1,
      0,
      0,
      0
    };
  }

  /** The first chunk (128 bytes at the default chunk size) of a message announced as 8 MiB. */
  static byte[] firstChunkOfHugeMessage(int csid) {
    return concat(header(csid, 8 * MIB), new byte[128]);
  }

  @Test
  void anAnnouncedMessageCostsOnlyTheBytesThatArrived() {
    RtmpChunkDecoder d = new RtmpChunkDecoder(8 * MIB, 64);
    byte[] in = firstChunkOfHugeMessage(4);
    RtmpDecodeResult r = d.decode(in, 0, in.length);
    assertNull(r.error());
    assertTrue(d.bufferedBytes() <= 256, "held " + d.bufferedBytes());
  }

  @Test
  void sixtyFourHugeAnnouncementsHoldAFewKilobytes() {
    // The attack of issue 9: every chunk stream announces 8 MiB. Before, this allocated 512 MiB.
    RtmpChunkDecoder d = new RtmpChunkDecoder(8 * MIB, 64);
    for (int csid = 2; csid < 64; csid++) {
      byte[] in = firstChunkOfHugeMessage(csid);
      assertNull(d.decode(in, 0, in.length).error());
    }
    assertTrue(d.bufferedBytes() <= 62 * 256, "held " + d.bufferedBytes());
  }

  @Test
  void aMessageLongerThanTheConnectionsBoundFailsAtItsHeader() {
    RtmpChunkDecoder d = new RtmpChunkDecoder(8 * MIB, 64);
    d.limitBuffered(64 * 1024, ReassemblyBudget.UNLIMITED);
    byte[] in = header(4, 64 * 1024 + 1);
    RtmpDecodeResult r = d.decode(in, 0, in.length);
    assertTrue(r.error().contains("over its memory limit"), r.error());
    assertEquals(0, d.bufferedBytes());
  }

  @Test
  void theBoundIsSummedOverChunkStreams() {
    RtmpChunkDecoder d = new RtmpChunkDecoder(8 * MIB, 64);
    d.limitBuffered(64 * 1024, ReassemblyBudget.UNLIMITED);
    // Two messages of 40 KB each fit the bound alone; 30 KB sent of each do not fit together:
    // each buffer has grown to 32 KiB, and the second one's next growth passes 64 KiB in total.
    byte[] in = concat(chunks(4, 40_000, 33_024, true), chunks(5, 40_000, 33_024, true));
    RtmpDecodeResult r = d.decode(in, 0, in.length);
    assertTrue(r.error() != null && r.error().contains("over this connection's limit"), r.error());
    assertEquals(0, d.bufferedBytes());
  }

  @Test
  void connectionsSharingABudgetStopAtItsCapacity() {
    ReassemblyBudget shared = ReassemblyBudget.shared(100_000);
    RtmpChunkDecoder a = new RtmpChunkDecoder(8 * MIB, 64);
    RtmpChunkDecoder b = new RtmpChunkDecoder(8 * MIB, 64);
    a.limitBuffered(90_000, shared);
    b.limitBuffered(90_000, shared);
    // 60 KB of an 80 KB message each: one fits the shared 100 KB, the second does not.
    byte[] sixty = chunks(4, 80_000, 60_032, true);
    assertNull(a.decode(sixty, 0, sixty.length).error());
    long heldByA = shared.reserved();
    assertTrue(heldByA >= 60_032 && heldByA <= 80_000, "held " + heldByA);
    RtmpDecodeResult r = b.decode(sixty, 0, sixty.length);
    assertTrue(r.error().contains("budget for partial messages is used up"), r.error());
    assertEquals(heldByA, shared.reserved(), "b returned what it had taken");
    a.releaseAll();
    assertEquals(0, shared.reserved());
  }

  @Test
  void authorizingMovesWhatIsHeldOutOfTheSharedBudget() {
    ReassemblyBudget shared = ReassemblyBudget.shared(100_000);
    RtmpChunkDecoder d = new RtmpChunkDecoder(8 * MIB, 64);
    d.limitBuffered(64 * 1024, shared);
    byte[] part = chunks(4, 50_000, 19_968, true);
    assertNull(d.decode(part, 0, part.length).error());
    assertTrue(shared.reserved() > 0);
    assertTrue(d.limitBuffered(16 * MIB, ReassemblyBudget.UNLIMITED));
    assertEquals(0, shared.reserved());
    // The rest of the message still completes, now over the old per-connection bound.
    byte[] rest = chunks(4, 50_000, 30_032, false);
    RtmpDecodeResult r = d.decode(rest, 0, rest.length);
    assertNull(r.error());
    assertEquals(1, r.messages().size());
    assertEquals(50_000, r.messages().get(0).payload().length);
  }

  @Test
  void completedAbortedAndFailedMessagesReturnTheirBytes() {
    ReassemblyBudget shared = ReassemblyBudget.shared(1_000_000);
    RtmpChunkDecoder d = new RtmpChunkDecoder(8 * MIB, 64);
    d.limitBuffered(MIB, shared);
    byte[] whole = chunks(4, 10_000, 10_000, true);
    List<RtmpMessage> done = d.decode(whole, 0, whole.length).messages();
    assertEquals(1, done.size());
    assertEquals(0, shared.reserved());

    byte[] half = chunks(6, 10_000, 4_992, true);
    assertNull(d.decode(half, 0, half.length).error());
    assertTrue(shared.reserved() >= 4_992);
    // RTMP 5.4.2: Abort Message for chunk stream 6.
    byte[] abort =
        new RtmpChunkEncoder().encode(new RtmpMessage(2, 0, 0, 2, new byte[] {0, 0, 0, 6}));
    assertNull(d.decode(abort, 0, abort.length).error());
    assertEquals(0, shared.reserved());

    assertNull(d.decode(half, 0, half.length).error());
    byte[] bad = new byte[] {(byte) 0xC9}; // type 3 chunk on a stream never started
    assertFalse(d.decode(bad, 0, 1).error() == null);
    assertEquals(0, shared.reserved());
    assertEquals(0, d.bufferedBytes());
  }

  @Test
  void aSessionDropsMediaBeforePublishAndReleasesOnDispose() {
    ReassemblyBudget shared = ReassemblyBudget.shared(1_000_000);
    RtmpPublishSession s = new RtmpPublishSession(RtmpLimits.defaults(), new byte[0], shared);
    FakePublisher client = new FakePublisher();
    SessionOutput out = connectThen(s, client, client.media(RtmpMessage.VIDEO, 0, new byte[1000]));
    assertTrue(out.events().isEmpty(), out.events().toString());
    assertEquals(RtmpPublishSession.State.CONNECTED, s.state());
    // Half of a 40 KB message: held within the anonymous budget.
    byte[] half = Arrays.copyOf(client.media(RtmpMessage.VIDEO, 1, new byte[40_000]), 20_000);
    s.onBytes(half, 0, half.length);
    assertTrue(shared.reserved() > 0);
    s.dispose();
    assertEquals(0, shared.reserved());
  }

  @Test
  void beforeAuthorizationAMessageOverThePendingBoundFailsTheSession() {
    RtmpPublishSession s =
        new RtmpPublishSession(RtmpLimits.defaults(), new byte[0], ReassemblyBudget.shared(MIB));
    SessionOutput out =
        connectThen(s, new FakePublisher(), header(4, RtmpLimits.DEFAULT_MAX_PENDING_BYTES + 1));
    RtmpEvent last = out.events().get(out.events().size() - 1);
    assertTrue(
        ((RtmpEvent.Failed) assertInstanceOf(RtmpEvent.Failed.class, last))
            .reason()
            .contains("over its memory limit"));
  }

  /**
   * Handshake and {@code connect} from {@code client}, then {@code more}; what the last feed gave.
   */
  static SessionOutput connectThen(RtmpPublishSession s, FakePublisher client, byte[] more) {
    s.onBytes(FakePublisher.c0c1(), 0, 1537);
    byte[] in = concat(FakePublisher.c2(), client.connect("live", "rtmp://x/live"), more);
    return s.onBytes(in, 0, in.length);
  }

  /**
   * Chunks of a video message of {@code length} bytes on {@code csid} at the default chunk size,
   * {@code sent} payload bytes of it; {@code first}: starting with the type 0 header, else
   * continuing after {@code length - sent} bytes already sent.
   */
  static byte[] chunks(int csid, int length, int sent, boolean first) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    int done = first ? 0 : length - sent;
    int until = first ? sent : length;
    boolean header = first;
    while (done < until) {
      if (header) {
        out.writeBytes(header(csid, length));
        header = false;
      } else {
        out.write(0xC0 | csid); // fmt 3: continuation
      }
      int n = Math.min(128, until - done);
      out.writeBytes(new byte[n]);
      done += n;
    }
    return out.toByteArray();
  }
}
