/**
 * The segment watcher's pieces: a loopback listener per stream that receives each rendition's
 * fragmented MP4 from FFmpeg, and the intake that cuts it into parts and segments on the stream's
 * timelines. Used by the stream owner on its own context; depends on timeline, media, metrics and
 * config, never on encode or serve.
 */
package dev.headwater.watch;
