/**
 * H.264 parameter parsing needed by an origin server: the AVCDecoderConfigurationRecord carried in
 * the FLV sequence header (ISO/IEC 14496-15) for the RFC 6381 codec string, and the sequence
 * parameter set (ISO/IEC 14496-10) for the picture size. Pure computation over byte arrays that
 * returns typed errors on bad input; it must not depend on networking, I/O, logging, frameworks or
 * the RTMP and FLV packages.
 */
package dev.headwater.media.avc;
