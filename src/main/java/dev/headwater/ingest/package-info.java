/**
 * RTMP ingest: the listener verticle and one connection per publisher, wiring socket bytes into the pure publish state machine (media.rtmp) and media into a FlvSink with TCP backpressure. It decides nothing about encoding: the PublishHandler it is given accepts or refuses.
 */
package dev.headwater.ingest;
