package dev.headwater.config;

/** Invalid configuration: the message names the key and the problem, and startup stops. */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }
}
