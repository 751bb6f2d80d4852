/**
 * RTMP ingest: the listener verticle and one connection per publisher, wiring socket bytes into the
 * pure publish state machine (media.rtmp), checking app, name and key, and asking the stream
 * directory for the name over the event bus. Media goes to the {@link dev.headwater.bus.MediaSink}
 * it gets back, with TCP backpressure. Knows nothing of encoding or timelines.
 */
package dev.headwater.ingest;
