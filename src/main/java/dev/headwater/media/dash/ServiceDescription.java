package dev.headwater.media.dash;

/**
 * A ServiceDescription (23009-1 §5.14, Annex K) with one Latency and one PlaybackRate element: the
 * service provider's latency target and the playback-rate range a client may use to hold it.
 *
 * @param referenceId Latency@referenceId: the ProducerReferenceTime@id the latency is measured
 *     against
 * @param targetLatencyMillis Latency@target
 * @param minLatencyMillis Latency@min, or null
 * @param maxLatencyMillis Latency@max, or null
 */
public record ServiceDescription(
    int id,
    int referenceId,
    long targetLatencyMillis,
    Long minLatencyMillis,
    Long maxLatencyMillis,
    double minPlaybackRate,
    double maxPlaybackRate) {

  public ServiceDescription {
    if (targetLatencyMillis <= 0
        || (minLatencyMillis != null && minLatencyMillis > targetLatencyMillis)
        || (maxLatencyMillis != null && maxLatencyMillis < targetLatencyMillis)) {
      throw new IllegalArgumentException("Latency: need 0 < min <= target <= max");
    }
    if (!(minPlaybackRate > 0 && minPlaybackRate <= 1 && maxPlaybackRate >= 1)) {
      throw new IllegalArgumentException("PlaybackRate: need 0 < min <= 1 <= max");
    }
  }
}
