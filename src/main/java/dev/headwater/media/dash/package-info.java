/**
 * MPEG-DASH Media Presentation Descriptions (MPDs) for the Headwater origin, as pure values and one
 * writer.
 *
 * <p>References are to ISO/IEC 23009-1 ("23009-1 §", 5th edition numbering) and to the DASH-IF
 * guidelines for low-latency DASH ("DASH-IF LL"). Everything here is deterministic: no I/O, no
 * clocks, no threads. Wall-clock values reach an MPD only as {@link java.time.Instant}s and
 * milliseconds handed in by the caller.
 *
 * <ul>
 *   <li>Model: {@link dev.headwater.media.dash.Mpd} and its parts. The records check the rules a
 *       writer could not repair (a dynamic MPD needs an availabilityStartTime, a static one a
 *       duration), so an invalid MPD fails where it is built, not in a player.
 *   <li>Rendering: {@link dev.headwater.media.dash.MpdWriter} is the only code that writes MPD XML;
 *       durations and dates are formatted only by {@link dev.headwater.media.dash.DashFormat}.
 * </ul>
 */
package dev.headwater.media.dash;
