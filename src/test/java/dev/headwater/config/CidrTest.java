package dev.headwater.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CidrTest {
  @ParameterizedTest
  @CsvSource({
    "10.0.0.0/8, 10.255.1.2, true",
    "10.0.0.0/8, 11.0.0.1, false",
    "192.0.2.7, 192.0.2.7, true",
    "192.0.2.7, 192.0.2.8, false",
    "192.0.2.0/25, 192.0.2.127, true",
    "192.0.2.0/25, 192.0.2.128, false",
    "0.0.0.0/0, 198.51.100.1, true",
    "2001:db8::/32, 2001:db8:ffff::1, true",
    "2001:db8::/32, 2001:db9::1, false",
    "2001:db8::/32, 32.1.13.184, false",
  })
  void containsTheAddressesOfItsBlock(String block, String address, boolean inside)
      throws Exception {
    assertEquals(inside, Cidr.parse(block).contains(InetAddress.getByName(address).getAddress()));
  }

  @ParameterizedTest
  @CsvSource({
    "cdn.example.com, not an IP address or CIDR block",
    "10.0.0.0/33, prefix length must be between 0 and 32",
    "2001:db8::/129, prefix length must be between 0 and 128",
    "10.0.0.0/x, prefix length is not a number",
    "'', not an IP address or CIDR block",
    "10.0.0.256, not an IP address or CIDR block",
  })
  void refusesWhatIsNotALiteralBlock(String text, String reason) {
    assertEquals(
        reason, assertThrows(IllegalArgumentException.class, () -> Cidr.parse(text)).getMessage());
  }

  @ParameterizedTest
  @CsvSource({"10.1.2.3/8, 10.0.0.0/8", "2001:db8::1/32, 2001:db8:0:0:0:0:0:0/32"})
  void masksTheHostBits(String text, String normal) {
    assertEquals(normal, Cidr.parse(text).toString());
    assertTrue(Cidr.parse(text).toString().endsWith(text.substring(text.indexOf('/'))));
    assertFalse(normal.isEmpty());
  }
}
