/**
 * CMAF grouping for Low-Latency HLS: {@link dev.headwater.media.cmaf.PartCutter} turns the
 * per-frame {@link dev.headwater.media.isobmff.Fragment}s of one track into partial segments
 * (EXT-X-PART) and segments on a fixed time grid. Pure values in, events out: no clocks, threads or
 * I/O.
 */
package dev.headwater.media.cmaf;
