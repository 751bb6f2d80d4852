package dev.headwater.ingest;

import dev.headwater.bus.PublishReply;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks a publish request against the configured app, the stream-name rules and the stream keys.
 * Stream names become path and URL segments, so only {@code [A-Za-z0-9_-]} (1-64 characters, not
 * starting with '-' or '_') is allowed.
 */
public final class PublishAuthorizer {
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
  static final String BAD_NAME = PublishReply.BAD_NAME;

  private final String app;
  private final Map<String, String> keys;

  public PublishAuthorizer(String app, Map<String, String> keys) {
    this.app = app;
    this.keys = keys;
  }

  public boolean open() {
    return keys.isEmpty();
  }

  /** Returns null when allowed, else the refusal to send. */
  public PublishRefused check(PublishAttempt r) {
    String requestedApp = r.app() == null ? "" : r.app();
    int q = requestedApp.indexOf('?');
    if (q >= 0) {
      requestedApp = requestedApp.substring(0, q);
    }
    if (!requestedApp.equals(app)) {
      return new PublishRefused(
          BAD_NAME,
          "unknown application "
              + LogSafe.quote(requestedApp)
              + " (use rtmp://host/"
              + app
              + "/NAME)");
    }
    if (r.name() == null || !NAME.matcher(r.name()).matches()) {
      return new PublishRefused(
          BAD_NAME, "stream name must be 1-64 of A-Z a-z 0-9 - _ and start with a letter or digit");
    }
    if (keys.isEmpty()) {
      return null;
    }
    String expected = keys.getOrDefault(r.name(), keys.get("*"));
    if (expected == null) {
      return new PublishRefused(
          BAD_NAME, "stream name '" + r.name() + "' is not allowed to publish");
    }
    String given = r.key() == null ? "" : r.key();
    if (!MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8))) {
      return new PublishRefused(
          BAD_NAME,
          given.isEmpty() ? "missing stream key (use NAME?key=SECRET)" : "wrong stream key");
    }
    return null;
  }

  /** The value of {@code key} in a query string such as {@code key=abc&x=1}, or null. */
  public static String keyFromQuery(String query) {
    if (query == null || query.isEmpty()) {
      return null;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      if (name.equals("key")) {
        if (eq < 0) {
          return "";
        }
        String raw = pair.substring(eq + 1);
        try {
          return java.net.URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
          // A malformed %-escape is the publisher's problem: compare the raw text (it will not
          // match).
          return raw;
        }
      }
    }
    return null;
  }
}
