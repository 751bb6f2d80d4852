package dev.headwater;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.headwater.config.ConfigException;
import io.vertx.core.transport.Transport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

class TransportTest {
  @Test
  void nioIsAlwaysAvailable() {
    assertEquals(Transport.NIO, Headwater.transport("nio"));
  }

  @Test
  @EnabledOnOs(value = OS.LINUX, architectures = "amd64")
  void autoPicksNativeEpollOnLinux() {
    // The linux-x86_64 native library ships in the fat jar; falling back to NIO here would silently
    // cost the wake path its cheaper socket writes.
    assertEquals("epoll", Headwater.transport("auto").name());
  }

  @Test
  @EnabledOnOs(value = OS.LINUX, architectures = "amd64")
  void ioUringIsUsedExactlyWhenNettyCanLoadIt() {
    // Netty's own verdict decides which branch must hold: the kernel may or may not allow io_uring.
    if (Transport.IO_URING.available()) {
      assertEquals("io_uring", Headwater.transport("io_uring").name());
    } else {
      ConfigException e =
          assertThrows(ConfigException.class, () -> Headwater.transport("io_uring"));
      assertEquals(
          "transport: io_uring cannot be used on this machine ("
              + Transport.IO_URING.unavailabilityCause()
              + "); use auto or nio",
          e.getMessage());
    }
  }
}
