/**
 * FLV container pieces (Adobe FLV spec, annex E): the tag value that RTMP audio, video and data
 * messages map onto, a writer for the file header and tags, and read-only helpers that inspect the
 * first bytes of audio and video tag bodies. Pure computation over byte arrays; it must not depend
 * on networking, I/O, logging or frameworks, nor on the RTMP package.
 */
package dev.headwater.media.flv;
