/**
 * The contracts between verticles: every event-bus address with its payload record, and the two
 * ports that travel inside payloads ({@link dev.headwater.bus.MediaSink}, {@link
 * dev.headwater.bus.PublisherConnection}). Payloads pass by reference (local codec) and never carry
 * media bytes. Depends on {@code media} only.
 */
package dev.headwater.bus;
