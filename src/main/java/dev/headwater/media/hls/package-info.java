/**
 * Low-Latency HLS playlists for the Headwater origin, as pure values and pure functions.
 *
 * <p>References are to draft-pantos-hls-rfc8216bis-22 ("§") and Apple's HLS authoring specification
 * ("[AUTH]"). Everything here is deterministic: no I/O, no clocks, no threads, no logging. The wall
 * clock reaches a playlist only as {@link java.time.Instant}s handed in by the caller.
 *
 * <ul>
 *   <li>Model: {@link dev.headwater.media.hls.MediaPlaylist} and its parts, and {@link
 *       dev.headwater.media.hls.MultivariantPlaylist}. The records validate the MUST-level rules
 *       that a writer could not repair, so an invalid playlist fails where it is built, not in a
 *       player.
 *   <li>Rendering: exactly one writer per playlist kind ({@link
 *       dev.headwater.media.hls.MediaPlaylistWriter}, {@link
 *       dev.headwater.media.hls.MultivariantPlaylistWriter}); numbers and dates are formatted only
 *       by {@link dev.headwater.media.hls.HlsFormat}.
 *   <li>Playlist transformations: {@link dev.headwater.media.hls.PartWindow} (§6.2.2) and {@link
 *       dev.headwater.media.hls.DeltaUpdate} (§6.2.5.1).
 *   <li>Delivery directives: {@link dev.headwater.media.hls.DeliveryDirectives#parse} and {@link
 *       dev.headwater.media.hls.BlockingDecision} (§6.2.5.2).
 * </ul>
 */
package dev.headwater.media.hls;
