/**
 * Pure ISO base media file format (ISO/IEC 14496-12) reading for fragmented MP4 ingest.
 *
 * <p>{@link dev.headwater.media.isobmff.Fmp4StreamReader} turns the byte chunks of one rendition's
 * fragmented MP4 (as FFmpeg writes it with {@code +empty_moov+frag_every_frame}) into an {@link
 * dev.headwater.media.isobmff.InitSegment} and a sequence of {@link
 * dev.headwater.media.isobmff.Fragment}s. Nothing here does I/O, threads, clocks or logging: bytes
 * in, values out. Bad input never throws; it yields an {@link
 * dev.headwater.media.isobmff.Fmp4Error}.
 */
package dev.headwater.media.isobmff;
