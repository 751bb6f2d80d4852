/**
 * AMF0 (Action Message Format 0) values as used inside RTMP command and data messages: a decoder
 * that turns bytes into plain Java values and an encoder that does the reverse. This package is
 * pure computation over byte arrays; it must not depend on any network, I/O, logging or framework
 * code, nor on the RTMP, FLV or AVC packages that build on it.
 */
package dev.headwater.media.amf;
