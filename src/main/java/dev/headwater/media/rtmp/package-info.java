/**
 * The RTMP ingest protocol (Adobe RTMP specification 1.0) for a publish-only origin: the server
 * side of the handshake, the chunk stream decoder and encoder, protocol control and command
 * messages, and {@link dev.headwater.media.rtmp.RtmpPublishSession}, the per-connection state
 * machine that turns client bytes into reply bytes and publish events. Everything is a pure
 * function of the bytes fed in and the constructor arguments: it must not depend on sockets, event
 * loops or frameworks (Vert.x, Netty), threads, clocks, randomness, files or logging, so that the
 * socket-owning caller decides all I/O and policy.
 */
package dev.headwater.media.rtmp;
