package dev.headwater.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Meters of one live stream, tagged {@code stream} (and {@code rendition}); removed when the stream
 * ends so label cardinality stays bounded by rtmp.maxPublishers.
 */
public final class StreamMeters {
  private final MeterRegistry registry;
  private final Tags tags;
  private final List<Meter> meters = new ArrayList<>();
  private final Counter ingestBytes;
  private final Counter droppedTags;
  private final Counter restarts;
  private volatile double fps = Double.NaN;
  private volatile double speed = Double.NaN;
  private volatile double bitrateKbps = Double.NaN;
  private final AtomicInteger waiting = new AtomicInteger();
  private final ConcurrentHashMap<String, Counter> parts = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Timer> partDelay = new ConcurrentHashMap<>();
  private final EncoderHealth health = new EncoderHealth();

  StreamMeters(MeterRegistry registry, String stream) {
    this.registry = registry;
    this.tags = Tags.of("stream", stream);
    ingestBytes =
        keep(
            Counter.builder("headwater_ingest_bytes")
                .description("Media bytes received from the publisher")
                .tags(tags)
                .register(registry));
    droppedTags =
        keep(
            Counter.builder("headwater_ingest_dropped_tags")
                .description(
                    "Publisher frames dropped (before a keyframe, during an encoder restart, or over the probe bound)")
                .tags(tags)
                .register(registry));
    restarts =
        keep(
            Counter.builder("headwater_encoder_restarts")
                .description("FFmpeg restarts while the publisher was live")
                .tags(tags)
                .register(registry));
    keep(
        Gauge.builder("headwater_stream_waiting_requests", waiting, AtomicInteger::get)
            .description("Blocking requests (playlist reloads, hinted parts) parked on this stream")
            .tags(tags)
            .register(registry));
    keep(Gauge.builder("headwater_encoder_fps", this, m -> m.fps).tags(tags).register(registry));
    keep(
        Gauge.builder("headwater_encoder_speed", this, m -> m.speed)
            .description("Encoding speed relative to real time (1.0 = keeping up)")
            .tags(tags)
            .register(registry));
    keep(
        Gauge.builder("headwater_encoder_bitrate_kbps", this, m -> m.bitrateKbps)
            .tags(tags)
            .register(registry));
  }

  private <T extends Meter> T keep(T meter) {
    synchronized (meters) {
      meters.add(meter);
    }
    return meter;
  }

  public void ingestBytes(int n) {
    ingestBytes.increment(n);
    health.ingest(System.nanoTime());
  }

  /** The encoder's health as seen from its input and output ({@code /health} reads it). */
  public EncoderHealth encoderHealth() {
    return health;
  }

  public void waiting(int delta) {
    waiting.addAndGet(delta);
  }

  public void droppedTag() {
    droppedTags.increment();
  }

  public void encoderRestart() {
    restarts.increment();
    health.restart(System.nanoTime());
  }

  /** The encoder's latest {@code -progress} figures; NaN where FFmpeg did not report one. */
  public void encoderProgress(double fps, double speed, double bitrateKbps) {
    this.fps = fps;
    this.speed = speed;
    this.bitrateKbps = bitrateKbps;
  }

  /**
   * A part became servable. {@code delayNanos} is the time from FFmpeg writing the part's last
   * fragment (its prft wall clock) to the part being servable: the origin's own packaging delay.
   */
  public void partPublished(String rendition, long delayNanos) {
    health.part(System.nanoTime());
    parts
        .computeIfAbsent(
            rendition,
            r ->
                keep(
                    Counter.builder("headwater_parts_published")
                        .tags(tags.and("rendition", r))
                        .register(registry)))
        .increment();
    partDelay
        .computeIfAbsent(
            rendition,
            r ->
                keep(
                    Timer.builder("headwater_part_publish_delay")
                        .description("FFmpeg wrote the part's last fragment → part servable")
                        .publishPercentiles(0.5, 0.99)
                        .tags(tags.and("rendition", r))
                        .register(registry)))
        .record(Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
  }

  public Timer partDelay(String rendition) {
    return partDelay.get(rendition);
  }

  public void close() {
    synchronized (meters) {
      for (Meter m : meters) {
        registry.remove(m);
      }
      meters.clear();
    }
  }
}
