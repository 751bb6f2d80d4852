/**
 * Micrometer meters (Prometheus registry) for the process and per stream; removed when a stream
 * ends so label cardinality stays bounded.
 */
package dev.headwater.metrics;
