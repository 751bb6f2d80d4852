/**
 * Per-stream state shared between verticles: the registry of live and retained sessions, the
 * mutable rendition timelines (owned by the segment watcher) and the immutable snapshots everyone
 * else reads. Media bytes are Vert.x Buffers shared by every response, wrapped once over the media
 * Bytes without copying (read-only, never released).
 */
package dev.headwater.timeline;
