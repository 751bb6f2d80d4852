package dev.headwater.media.hls;

/**
 * Result of {@link DeliveryDirectives#parse}: either the {@link DeliveryDirectives} or a {@link
 * DirectiveError} to answer at once.
 */
public sealed interface DirectiveParse permits DeliveryDirectives, DirectiveError {}
