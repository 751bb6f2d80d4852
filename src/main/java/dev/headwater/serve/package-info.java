/**
 * The public HTTP verticle: LL-HLS playlists (rendered and gzipped once per snapshot), media from
 * memory, blocking playlist reload and preload-hinted parts parked without threads, the player
 * page, the streams API, health and metrics. Reads snapshots only; never mutates a timeline.
 */
package dev.headwater.serve;
