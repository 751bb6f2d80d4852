package dev.headwater.media.rtmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class RtmpChunkPropertiesTest {

  @Property(tries = 500)
  void randomBytesInRandomPiecesNeverThrow(
      @ForAll @Size(max = 2000) byte[] bytes,
      @ForAll @Size(min = 1, max = 20) List<@IntRange(min = 1, max = 300) Integer> pieces) {
    feedInPieces(bytes, pieces, r -> assertNotNull(r));
  }

  @Property(tries = 300)
  void corruptedChunkStreamsInRandomPiecesNeverThrow(
      @ForAll("messages") List<RtmpMessage> messages,
      @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 0, max = 100_000) Integer> positions,
      @ForAll @Size(min = 1, max = 20) List<@IntRange(min = 1, max = 300) Integer> pieces) {
    RtmpChunkEncoder encoder = new RtmpChunkEncoder();
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    messages.forEach(m -> wire.writeBytes(encoder.encode(m)));
    byte[] bytes = wire.toByteArray();
    if (bytes.length == 0) {
      return;
    }
    for (int position : positions) {
      bytes[position % bytes.length] ^= (byte) (position | 1);
    }
    feedInPieces(bytes, pieces, r -> assertNotNull(r));
  }

  @Property(tries = 300)
  void decodingEncodedMessagesGivesThemBackWhateverTheChunkSizeAndSplit(
      @ForAll("messages") List<RtmpMessage> messages,
      @ForAll @IntRange(min = 1, max = 5000) int chunkSize,
      @ForAll @Size(min = 1, max = 20) List<@IntRange(min = 1, max = 700) Integer> pieces) {
    RtmpChunkEncoder encoder = new RtmpChunkEncoder();
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    List<RtmpMessage> sent = new ArrayList<>();
    // The chunk size change travels in-band first, as a server would send it.
    RtmpMessage setChunkSize = RtmpControl.setChunkSize(chunkSize);
    wire.writeBytes(encoder.encode(setChunkSize));
    encoder.setChunkSize(chunkSize);
    sent.add(setChunkSize);
    for (RtmpMessage m : messages) {
      wire.writeBytes(encoder.encode(m));
      sent.add(m);
    }
    List<RtmpMessage> received = new ArrayList<>();
    RtmpChunkDecoder decoder =
        feedInPieces(
            wire.toByteArray(),
            pieces,
            r -> {
              assertNull(r.error());
              received.addAll(r.messages());
            });
    assertEquals(sent, received);
    assertEquals(wire.size(), decoder.bytesReceived());
  }

  @Provide
  Arbitrary<List<RtmpMessage>> messages() {
    Arbitrary<RtmpMessage> message =
        Combinators.combine(
                Arbitraries.of(3, 4, 5, 6, 8, 9, 15, 18, 20, 22),
                Arbitraries.longs()
                    .between(0, 0xFFFFFFFFL)
                    .edgeCases(c -> c.add(0xFFFFFEL).add(0xFFFFFFL)),
                Arbitraries.integers(),
                Arbitraries.integers()
                    .between(2, 65599)
                    .edgeCases(c -> c.add(63).add(64).add(319).add(320)),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(3000))
            .as(RtmpMessage::new);
    return message.list().ofMaxSize(12);
  }

  private static RtmpChunkDecoder feedInPieces(
      byte[] bytes, List<Integer> pieces, java.util.function.Consumer<RtmpDecodeResult> sink) {
    RtmpChunkDecoder decoder = new RtmpChunkDecoder(1 << 16, 64);
    int p = 0;
    int i = 0;
    while (p < bytes.length) {
      int n = Math.min(pieces.get(i++ % pieces.size()), bytes.length - p);
      sink.accept(decoder.decode(bytes, p, n));
      p += n;
    }
    return decoder;
  }
}
