package dev.headwater.serve;

/**
 * Cache-Control values, chosen so a CDN can cache by URL (the delivery directives are part of the
 * URL; hls.js and Apple players send them in canonical order, RFC 8216bis 6.3.2). Values follow the
 * low-latency server profile's recommendations (Appendix B.1) for a 2 s target duration:
 *
 * <ul>
 *   <li>blocking playlist responses (with {@code _HLS_msn}) name a position that never changes
 *       content: cached 6 target durations;
 *   <li>plain playlist responses (media playlist without directives, multivariant playlist, live
 *       MPD) change with every part: cached half a part target would be pointless, so 1 s (half the
 *       target duration) in shared caches ({@code s-maxage}), letting a CDN collapse a thundering
 *       herd, and not at all in the player's own cache ({@code max-age=0}). A player polls them on
 *       a timer of about the same period (hls.js reloads an unchanged playlist every half target
 *       duration, e.g. after a blocking reload timed out while a publisher reconnects); with {@code
 *       max-age=1} the browser answered every other poll from its cache, one second old, and
 *       playback resumed a second late. Varnish, nginx, CloudFront and Fastly take their TTL from
 *       {@code s-maxage} before {@code max-age};
 *   <li>media (init, segments, parts) never change once published: cached for the live window;
 *   <li>an ended playlist is final: cached as long as media;
 *   <li>errors: 404 briefly in shared caches, not in the player's (the resource may appear: a
 *       stream starting), 400/503 not at all.
 * </ul>
 */
final class CachePolicy {
  // Built once as AsciiString: a wake pass writes the same value into thousands of responses.
  private final CharSequence blockingPlaylist;
  private final CharSequence livePlaylist;
  private final CharSequence endedPlaylist;
  private final CharSequence media;

  CachePolicy(int targetDuration, long mediaSeconds) {
    blockingPlaylist = optimized("public, max-age=" + 6 * targetDuration);
    livePlaylist = optimized("public, max-age=0, s-maxage=" + Math.max(1, targetDuration / 2));
    endedPlaylist = optimized("public, max-age=" + mediaSeconds);
    media = optimized("public, max-age=" + mediaSeconds + ", immutable");
  }

  CharSequence blockingPlaylist() {
    return blockingPlaylist;
  }

  CharSequence livePlaylist() {
    return livePlaylist;
  }

  CharSequence endedPlaylist() {
    return endedPlaylist;
  }

  CharSequence multivariant() {
    return livePlaylist;
  }

  CharSequence media() {
    return media;
  }

  CharSequence notFound() {
    return NOT_FOUND;
  }

  /** For 400 and 503: a retry must reach the origin. */
  static final CharSequence NO_STORE = optimized("no-store");

  private static final CharSequence NOT_FOUND = optimized("public, max-age=0, s-maxage=1");

  CharSequence noStore() {
    return NO_STORE;
  }

  private static CharSequence optimized(String value) {
    return io.vertx.core.http.HttpHeaders.createOptimized(value);
  }
}
