package dev.headwater.bus;

/**
 * Payload of {@link Addresses#STREAM_PUBLISH}: an authenticated publisher asks for {@code name}.
 *
 * @param remoteAddress the publisher's address, for logs
 * @param connection lets the stream owner close the publisher's connection (stream ended, taken
 *     over)
 */
public record PublishRequest(String name, String remoteAddress, PublisherConnection connection) {}
