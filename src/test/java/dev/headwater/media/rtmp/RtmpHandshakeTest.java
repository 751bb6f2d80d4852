package dev.headwater.media.rtmp;

import static dev.headwater.media.TestBytes.bytes;
import static dev.headwater.media.TestBytes.concat;
import static dev.headwater.media.TestBytes.pattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class RtmpHandshakeTest {

  static final byte[] C1 = pattern(1536, 5);
  static final byte[] C2 = pattern(1536, 77);

  @Test
  void answersC0AndC1WithS0S1AndS2EchoingC1() {
    RtmpHandshake h = new RtmpHandshake(pattern(1528, 1));
    RtmpHandshakeResult r = h.feed(concat(bytes(0x03), C1), 0, 1537);
    assertNull(r.error());
    assertFalse(r.done());
    byte[] s = r.toSend();
    assertEquals(1 + 1536 + 1536, s.length);
    assertEquals(3, s[0]); // S0 version
    assertArrayEquals(bytes(0, 0, 0, 0, 0, 0, 0, 0), Arrays.copyOfRange(s, 1, 9)); // S1 time, zero
    assertArrayEquals(pattern(1528, 1), Arrays.copyOfRange(s, 9, 1537)); // S1 random
    assertArrayEquals(C1, Arrays.copyOfRange(s, 1537, 3073)); // S2 = C1
  }

  @Test
  void stretchesAShortSeedIntoNonRepeatingFiller() {
    byte[] s = new RtmpHandshake(bytes(1, 2)).feed(concat(bytes(0x03), C1), 0, 1537).toSend();
    byte[] random = Arrays.copyOfRange(s, 9, 1537);
    assertNotEquals(
        Arrays.toString(Arrays.copyOfRange(random, 0, 16)),
        Arrays.toString(Arrays.copyOfRange(random, 16, 32)));
    byte[] again = new RtmpHandshake(bytes(1, 2)).feed(concat(bytes(0x03), C1), 0, 1537).toSend();
    assertArrayEquals(s, again);
  }

  @Test
  void refusesHandshakeVersionOtherThan3() {
    RtmpHandshake h = new RtmpHandshake(new byte[0]);
    RtmpHandshakeResult r = h.feed(concat(bytes(0x06), C1), 0, 1537);
    assertTrue(r.failed());
    assertTrue(r.error().contains("version 6"), r.error());
    assertEquals(0, r.toSend().length);
    assertTrue(h.feed(C2, 0, 10).failed());
  }

  @Test
  void completesAfterC2AndReturnsPipelinedChunkBytes() {
    RtmpHandshake h = new RtmpHandshake(new byte[0]);
    h.feed(concat(bytes(0x03), C1), 0, 1537);
    byte[] firstChunk = bytes(0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x14);
    RtmpHandshakeResult r = h.feed(concat(C2, firstChunk), 0, 1536 + firstChunk.length);
    assertTrue(r.done());
    assertTrue(h.done());
    assertEquals(0, r.toSend().length);
    assertArrayEquals(firstChunk, r.leftover());
  }

  @Property(tries = 200)
  void givesTheSameBytesWhateverTheSplit(@ForAll @IntRange(min = 1, max = 1600) int piece) {
    byte[] extra = bytes(0xAA, 0xBB, 0xCC);
    byte[] client = concat(bytes(0x03), C1, C2, extra);
    RtmpHandshake h = new RtmpHandshake(bytes(9));
    ByteArrayOutputStream sent = new ByteArrayOutputStream();
    ByteArrayOutputStream leftover = new ByteArrayOutputStream();
    for (int p = 0; p < client.length; p += piece) {
      RtmpHandshakeResult r = h.feed(client, p, Math.min(piece, client.length - p));
      assertNull(r.error());
      sent.writeBytes(r.toSend());
      leftover.writeBytes(r.leftover());
    }
    assertTrue(h.done());
    assertEquals(3073, sent.size());
    assertArrayEquals(extra, leftover.toByteArray());
  }
}
