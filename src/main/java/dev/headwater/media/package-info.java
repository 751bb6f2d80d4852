/**
 * Pure media logic, one protocol or format per subpackage (AMF0, RTMP, FLV, AVC, ISO-BMFF, CMAF,
 * HLS): bytes and values in, values or bytes out, with no Vert.x, Netty, threads, clocks or files.
 * At its root, {@link dev.headwater.media.Bytes} is the immutable byte sequence media travels in
 * from the box splitter to the served buffer, concatenated and sliced without copying. Nothing here
 * depends on any other Headwater package.
 */
package dev.headwater.media;
