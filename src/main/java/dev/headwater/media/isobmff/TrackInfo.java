package dev.headwater.media.isobmff;

/**
 * The one track of an ingest stream, as declared by its moov.
 *
 * @param trackId tkhd track_ID; every fragment must carry the same id
 * @param handlerType hdlr handler_type: "vide" or "soun" (others are passed through)
 * @param timescale mdhd timescale: ticks per second of all times and durations
 * @param codec RFC 6381 string for the HLS CODECS attribute ("avc1.64001F", "mp4a.40.2"), or the
 *     bare sample entry type when we do not know how to describe it (e.g. "hvc1")
 * @param width video width in pixels (sample entry, else tkhd), 0 for audio
 * @param height video height in pixels (sample entry, else tkhd), 0 for audio
 * @param sampleRate audio sample rate in Hz (sample entry, else timescale), 0 for video
 * @param channelCount audio channel count from the sample entry, 0 for video
 * @param defaultSampleDuration trex default_sample_duration (0 when no trex)
 * @param defaultSampleFlags trex default_sample_flags (0 when no trex)
 * @param defaultSampleSize trex default_sample_size (0 when no trex)
 */
public record TrackInfo(
    int trackId,
    String handlerType,
    long timescale,
    String codec,
    int width,
    int height,
    int sampleRate,
    int channelCount,
    long defaultSampleDuration,
    int defaultSampleFlags,
    long defaultSampleSize) {

  public boolean isVideo() {
    return "vide".equals(handlerType);
  }

  public boolean isAudio() {
    return "soun".equals(handlerType);
  }
}
