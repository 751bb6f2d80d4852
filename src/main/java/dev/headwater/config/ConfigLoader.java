package dev.headwater.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Loads the configuration: code defaults, then the YAML file (read with vertx-config's yaml store),
 * then {@code HEADWATER_*} environment variables, then validation.
 */
public final class ConfigLoader {
  private ConfigLoader() {}

  /**
   * Reads {@code file} (if non-null it must exist) and applies {@code env}; fails with a {@link
   * ConfigException}.
   */
  public static Future<HeadwaterConfig> load(Vertx vertx, Path file, Map<String, String> env) {
    if (file == null) {
      return Future.succeededFuture(fromJson(new JsonObject(), env));
    }
    if (!Files.isRegularFile(file)) {
      return Future.failedFuture(new ConfigException("--config: no such file " + file));
    }
    ConfigStoreOptions yaml =
        new ConfigStoreOptions()
            .setType("file")
            .setFormat("yaml")
            .setConfig(new JsonObject().put("path", file.toAbsolutePath().toString()));
    ConfigRetriever retriever =
        ConfigRetriever.create(
            vertx, new ConfigRetrieverOptions().addStore(yaml).setScanPeriod(-1));
    return retriever
        .getConfig()
        .recover(
            e ->
                Future.failedFuture(
                    new ConfigException(file + ": cannot be read as YAML: " + e.getMessage())))
        .compose(
            json -> {
              retriever.close();
              try {
                return Future.succeededFuture(fromJson(json, env));
              } catch (ConfigException e) {
                return Future.failedFuture(e);
              }
            });
  }

  /** Binds and validates a JSON tree on top of the defaults. */
  public static HeadwaterConfig fromJson(JsonObject json, Map<String, String> env) {
    HeadwaterConfig bound =
        new RecordBinder(env).bind("", HeadwaterConfig.class, json, HeadwaterConfig.defaults());
    return ConfigValidator.validate(bound);
  }

  /**
   * The environment variable that overrides {@code keyPath}, e.g. {@code http.port →
   * HEADWATER_HTTP_PORT}.
   */
  public static String envName(String keyPath) {
    return RecordBinder.envName(keyPath);
  }
}
