/**
 * The segment watcher: receives each rendition's fragmented MP4 from FFmpeg (chunked POST on a loopback listener), cuts it into parts and segments and owns every timeline, publishing immutable snapshots and a timeline-updated event after each change.
 */
package dev.headwater.watch;
