/**
 * The built-in test-pattern publisher (FFmpeg lavfi pushed over RTMP to this server) with a
 * burned-in wall clock for glass-to-glass latency measurement.
 */
package dev.headwater.demo;
