/**
 * The public HTTP verticle: LL-HLS playlists (rendered and gzipped once per snapshot), media from
 * memory, blocking playlist reload and preload-hinted parts parked without threads, the player
 * page, the streams API and health; per-connection limits against slow and hostile clients and fair
 * shares of parked requests; CORS headers on every response, so a CDN edge may store any response
 * for every client; and the operator listener ({@code /metrics}). Reads snapshots only; never
 * mutates a timeline; must not depend on {@code stream}, {@code encode}, {@code ingest} or {@code
 * watch} (the encoder's health is read from the stream's meters).
 */
package dev.headwater.serve;
