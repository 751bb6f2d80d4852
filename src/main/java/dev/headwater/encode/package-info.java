/**
 * The encoder supervisor: one FFmpeg child per live stream, started from an argument list, fed FLV
 * on stdin by its own thread, restarted with backoff when it dies or stalls, never outliving the
 * server. Also finds the FFmpeg binary and builds the ladder. Must not touch timelines: FFmpeg's
 * output reaches the segment watcher over loopback HTTP.
 */
package dev.headwater.encode;
