/**
 * Headwater, a live-streaming origin: RTMP in, FFmpeg ABR ladder, CMAF parts, Low-Latency HLS out.
 * {@link dev.headwater.Main} is the command line, {@link dev.headwater.Headwater} the composition
 * root.
 */
package dev.headwater;
