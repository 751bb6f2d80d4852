package dev.headwater.media.hls;

/**
 * EXT-X-SERVER-CONTROL (§4.4.3.8). §6.2.4: every Media Playlist of a multivariant set MUST carry
 * the same values, so build one instance per presentation and share it.
 *
 * @param canBlockReload advertise Blocking Playlist Reload; only when the server really holds
 *     requests
 * @param partHoldBack PART-HOLD-BACK seconds; REQUIRED with parts, at least 2 x PART-TARGET ([AUTH]
 *     14.3: 3 x)
 * @param holdBack HOLD-BACK seconds, at least 3 x target duration; 0 = omit (then it means 3 x TD)
 * @param canSkipUntil CAN-SKIP-UNTIL (the Skip Boundary) seconds, at least 6 x target duration; 0 =
 *     omit
 */
public record ServerControl(
    boolean canBlockReload, double partHoldBack, double holdBack, double canSkipUntil) {

  public ServerControl {
    HlsText.nonNegative(partHoldBack, "PART-HOLD-BACK");
    HlsText.nonNegative(holdBack, "HOLD-BACK");
    HlsText.nonNegative(canSkipUntil, "CAN-SKIP-UNTIL");
  }

  boolean isEmpty() {
    return !canBlockReload && partHoldBack == 0 && holdBack == 0 && canSkipUntil == 0;
  }
}
