/**
 * Micrometer meters (Prometheus registry) for the process and per stream, removed when a stream
 * ends so label cardinality stays bounded; the encoder's health as read from its stream's meters;
 * the event loops' heartbeat. Depends on nothing else of Headwater's.
 */
package dev.headwater.metrics;
