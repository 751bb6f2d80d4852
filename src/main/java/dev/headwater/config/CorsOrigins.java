package dev.headwater.config;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The value of {@code http.corsOrigin}: {@code *} (any origin), or the origins allowed to play
 * cross-origin, written as browsers send them ({@code https://player.example}, {@code
 * http://localhost:3000}: scheme, host, optional port, no path) and separated by commas or spaces.
 */
public final class CorsOrigins {
  /** The rule {@link #parse} enforces, for its message. */
  public static final String RULE =
      "must be \"*\" or origins such as https://player.example separated by commas";

  private static final Pattern ORIGIN =
      Pattern.compile(
          "(?i)https?://([a-z0-9](?:[a-z0-9.-]*[a-z0-9])?|\\[[0-9a-f:.]+\\])(:[0-9]{1,5})?");

  private CorsOrigins() {}

  /**
   * The allowed origins, or an empty list for {@code *}.
   *
   * @throws IllegalArgumentException with {@link #RULE} and the value when it is malformed
   */
  public static List<String> parse(String setting) {
    String s = setting == null ? "" : setting.trim();
    if (s.equals("*")) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (String part : s.split("[,\\s]+")) {
      if (part.isEmpty()) {
        continue;
      }
      if (!ORIGIN.matcher(part).matches()) {
        throw new IllegalArgumentException(RULE + " (got '" + setting + "')");
      }
      out.add(part);
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(RULE + " (got '" + setting + "')");
    }
    return List.copyOf(out);
  }
}
