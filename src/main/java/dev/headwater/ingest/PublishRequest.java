package dev.headwater.ingest;

/** A publisher's request: RTMP app, stream name and key (from {@code NAME?key=SECRET}), and its address for logs. */
public record PublishRequest(String app, String name, String key, String remoteAddress) {}
