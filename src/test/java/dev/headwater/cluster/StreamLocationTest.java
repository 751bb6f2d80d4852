package dev.headwater.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class StreamLocationTest {
  private final StreamLocation l =
      new StreamLocation("n", "s", "node", "http://h:1", true, Instant.ofEpochMilli(5));

  @Test
  void roundTripsThroughTheMapsJson() {
    assertEquals(l, StreamLocation.fromJson(l.toJson()));
    assertEquals("h", StreamLocation.fromJson(l.toJson()).uri().getHost());
  }

  @Test
  void anEndedCopyIsNotLive() {
    assertFalse(l.ended().live());
    assertEquals(l.session(), l.ended().session());
  }

  @Test
  void aValueThatIsNotALocationIsIgnored() {
    assertNull(StreamLocation.fromJson("not json"));
    assertNull(StreamLocation.fromJson("[1]"));
    assertNull(StreamLocation.fromJson(null));
  }
}
