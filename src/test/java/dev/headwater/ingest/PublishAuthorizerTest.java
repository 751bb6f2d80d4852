package dev.headwater.ingest;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class PublishAuthorizerTest {
  private static final String NAME_RULE =
      "stream name must be 1-64 of A-Z a-z 0-9 - _ and start with a letter or digit";

  private final PublishAuthorizer open = new PublishAuthorizer("live", Map.of());
  private final PublishAuthorizer keyed = new PublishAuthorizer("live", Map.of("demo", "s3cret"));
  private final PublishAuthorizer wildcard = new PublishAuthorizer("live", Map.of("*", "any"));

  private static PublishAttempt request(String app, String name, String key) {
    return new PublishAttempt(app, name, key, "10.0.0.1:50000");
  }

  @Test
  void openWhenNoKeys() {
    assertTrue(open.open());
    assertEquals(false, keyed.open());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "demo",
        "a",
        "Cam_2",
        "x-y",
        "0abc",
        "ABCDEFGHIJabcdefghij0123456789_-ABCDEFGHIJabcdefghij0123456789ab"
      })
  void openServerAcceptsAnyValidName(String name) {
    assertNull(open.check(request("live", name, null)));
  }

  @Test
  void acceptsExactly64Characters() {
    assertNull(open.check(request("live", "a".repeat(64), null)));
  }

  @Test
  void appQueryIsIgnored() {
    assertNull(open.check(request("live?token=1", "demo", null)));
  }

  @ParameterizedTest
  @CsvSource(
      nullValues = "NULL",
      value = {"other", "LIVE", "live/x", "''", "NULL"})
  void wrongAppRefusedAsBadName(String app) {
    PublishRefused refused = open.check(request(app, "demo", null));
    assertNotNull(refused);
    assertEquals(PublishAuthorizer.BAD_NAME, refused.code());
    assertEquals("NetStream.Publish.BadName", refused.code());
    String shown = app == null ? "" : app;
    assertEquals(
        "unknown application '" + shown + "' (use rtmp://host/live/NAME)", refused.getMessage());
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(
      strings = {
        "a/b",
        "..",
        "../etc",
        "a b",
        " demo",
        "-demo",
        "_demo",
        "demo.m3u8",
        "dé",
        "demo?key=x"
      })
  void invalidNamesRefused(String name) {
    PublishRefused refused = open.check(request("live", name, null));
    assertNotNull(refused, "accepted '" + name + "'");
    assertEquals(PublishAuthorizer.BAD_NAME, refused.code());
    assertEquals(NAME_RULE, refused.getMessage());
  }

  @Test
  void refuses65Characters() {
    PublishRefused refused = open.check(request("live", "a".repeat(65), null));
    assertNotNull(refused);
    assertEquals(NAME_RULE, refused.getMessage());
  }

  @Test
  void rightKeyAccepted() {
    assertNull(keyed.check(request("live", "demo", "s3cret")));
  }

  @Test
  void wrongKeyRefused() {
    PublishRefused refused = keyed.check(request("live", "demo", "s3creT"));
    assertNotNull(refused);
    assertEquals("wrong stream key", refused.getMessage());
  }

  @Test
  void keyPrefixRefused() {
    PublishRefused refused = keyed.check(request("live", "demo", "s3cret2"));
    assertNotNull(refused);
    assertEquals("wrong stream key", refused.getMessage());
  }

  @ParameterizedTest
  @NullAndEmptySource
  void missingKeyRefused(String key) {
    PublishRefused refused = keyed.check(request("live", "demo", key));
    assertNotNull(refused);
    assertEquals("missing stream key (use NAME?key=SECRET)", refused.getMessage());
  }

  @Test
  void nameWithoutKeyEntryRefused() {
    PublishRefused refused = keyed.check(request("live", "other", "s3cret"));
    assertNotNull(refused);
    assertEquals("stream name 'other' is not allowed to publish", refused.getMessage());
  }

  @Test
  void nameRulesApplyBeforeKeys() {
    PublishRefused refused = keyed.check(request("live", "../demo", "s3cret"));
    assertNotNull(refused);
    assertEquals(NAME_RULE, refused.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"demo", "cam2", "anything-else"})
  void wildcardKeyAppliesToAnyName(String name) {
    assertNull(wildcard.check(request("live", name, "any")));
    assertEquals("wrong stream key", wildcard.check(request("live", name, "nope")).getMessage());
  }

  @Test
  void specificKeyWinsOverWildcard() {
    PublishAuthorizer both = new PublishAuthorizer("live", Map.of("*", "any", "demo", "s3cret"));
    assertNull(both.check(request("live", "demo", "s3cret")));
    assertEquals("wrong stream key", both.check(request("live", "demo", "any")).getMessage());
    assertNull(both.check(request("live", "cam", "any")));
  }

  @ParameterizedTest
  @CsvSource(
      nullValues = "NULL",
      value = {
        "key=abc&x=1, abc",
        "x=1&key=abc, abc",
        "key=a%2Bb%20c%3D, a+b c=",
        "key=a+b, a b",
        "key=, ''",
        "key, ''",
        "x=1, NULL",
        "keys=abc, NULL",
        "'', NULL",
        "NULL, NULL"
      })
  void keyFromQuery(String query, String expected) {
    assertEquals(expected, PublishAuthorizer.keyFromQuery(query));
  }

  @ParameterizedTest
  @ValueSource(strings = {"key=%zz", "key=abc%", "key=%4"})
  void malformedEscapeInKeyDoesNotThrow(String query) {
    assertDoesNotThrow(() -> PublishAuthorizer.keyFromQuery(query));
  }
}
