package dev.headwater.ingest;

/**
 * A publisher's request as RTMP carries it: app, stream name and key (from {@code
 * NAME?key=SECRET}), and its address for logs.
 */
public record PublishAttempt(String app, String name, String key, String remoteAddress) {}
