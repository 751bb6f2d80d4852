package dev.headwater;

import dev.headwater.config.ConfigException;
import dev.headwater.config.ConfigLoader;
import dev.headwater.config.HeadwaterConfig;
import dev.headwater.demo.DemoPublisher;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Command line: {@code java -jar headwater.jar [--config FILE] [--demo]}. Without {@code --config},
 * {@code conf/headwater.yaml} is read if present, else the built-in defaults; {@code HEADWATER_*}
 * environment variables override either.
 */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  /** How long SIGTERM waits for connections and verticles to close before the process exits. */
  private static final long SHUTDOWN_TIMEOUT_SECONDS = 10;

  private Main() {}

  public static void main(String[] args) throws Exception {
    Path configFile = null;
    boolean demo = false;
    String publishTo = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--config" -> {
          if (i + 1 >= args.length) {
            fail("--config needs a file");
          }
          configFile = Path.of(args[++i]);
        }
        case "--demo" -> demo = true;
        case "--demo-publish" -> {
          if (i + 1 >= args.length) {
            fail("--demo-publish needs an RTMP URL");
          }
          publishTo = args[++i];
        }
        case "--help", "-h" -> {
          System.out.println("usage: java -jar headwater.jar [--config FILE] [--demo]");
          System.out.println(
              "       java -jar headwater.jar [--config FILE] --demo-publish rtmp://HOST/APP/NAME");
          System.out.println(
              "         (only the test-pattern publisher with the burned-in clock, to any RTMP server)");
          return;
        }
        default ->
            fail(
                "unknown argument "
                    + args[i]
                    + " (usage: java -jar headwater.jar [--config FILE] [--demo])");
      }
    }
    if (configFile == null && Files.isRegularFile(Path.of("conf/headwater.yaml"))) {
      configFile = Path.of("conf/headwater.yaml");
    }
    HeadwaterConfig config;
    Vertx loader = Vertx.vertx();
    try {
      config =
          ConfigLoader.load(loader, configFile, System.getenv())
              .toCompletionStage()
              .toCompletableFuture()
              .join();
    } catch (java.util.concurrent.CompletionException e) {
      loader.close();
      if (e.getCause() instanceof ConfigException ce) {
        fail("invalid configuration: " + ce.getMessage());
      }
      throw e;
    }
    loader.close();
    if (publishTo != null) {
      publishOnly(config, publishTo);
      return;
    }

    Headwater headwater;
    try {
      headwater = new Headwater(config);
    } catch (ConfigException e) {
      fail("invalid configuration: " + e.getMessage());
      return;
    } catch (IllegalStateException e) {
      LOG.error("Headwater could not start: {}", e.getMessage());
      System.exit(1);
      return;
    }
    try {
      headwater.start().toCompletionStage().toCompletableFuture().join();
    } catch (Exception e) {
      LOG.error(
          "Headwater could not start: {}",
          e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
      headwater.stop();
      System.exit(1);
    }
    DemoPublisher publisher = null;
    if (demo) {
      String name = config.demo().streamName();
      String key =
          config.rtmp().streamKeys().getOrDefault(name, config.rtmp().streamKeys().get("*"));
      String url =
          "rtmp://127.0.0.1:"
              + headwater.rtmpPort()
              + "/"
              + config.rtmp().app()
              + "/"
              + name
              + (key == null ? "" : "?key=" + key);
      publisher =
          new DemoPublisher(
              headwater.vertx(),
              headwater.ffmpeg(),
              url,
              config.demo().width(),
              config.demo().height(),
              config.demo().videoBitrateKbps());
      publisher.start();
      System.out.println();
      System.out.println(
          "  Demo stream publishing to rtmp://127.0.0.1:"
              + headwater.rtmpPort()
              + "/"
              + config.rtmp().app()
              + "/"
              + name);
      System.out.println(
          "  Player:   http://localhost:" + headwater.httpPort() + "/?stream=" + name);
      System.out.println(
          "  Playlist: http://localhost:"
              + headwater.httpPort()
              + "/live/"
              + name
              + "/master.m3u8");
      System.out.println();
    }
    DemoPublisher p = publisher;
    CompletableFuture<Void> done = new CompletableFuture<>();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  if (p != null) {
                    p.stop();
                  }
                  try {
                    headwater
                        .stop()
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                  } catch (Exception e) {
                    // A verticle that cannot close (a dead event loop, a peer that never lets go)
                    // must not keep the
                    // process and its ports alive; FFmpeg children are killed by the reaper's own
                    // hook regardless.
                    LOG.warn(
                        "Shutdown did not complete within {} s ({}); exiting anyway",
                        SHUTDOWN_TIMEOUT_SECONDS,
                        e.toString());
                  }
                  done.complete(null);
                },
                "hw-shutdown"));
    done.join();
  }

  /**
   * Runs the demo publisher alone (for comparisons against other servers) until it exits or is
   * killed.
   */
  private static void publishOnly(HeadwaterConfig config, String url) throws Exception {
    dev.headwater.encode.FfmpegLocator.extractTo(Path.of(config.dataDir(), "ffmpeg"));
    String ffmpeg = dev.headwater.encode.FfmpegLocator.ffmpeg(config.ffmpeg().path());
    Process p =
        new ProcessBuilder(
                DemoPublisher.command(
                    ffmpeg,
                    url,
                    config.demo().width(),
                    config.demo().height(),
                    config.demo().videoBitrateKbps()))
            .inheritIO()
            .start();
    Runtime.getRuntime().addShutdownHook(new Thread(p::destroy, "hw-publisher-stop"));
    System.exit(p.waitFor());
  }

  private static void fail(String message) {
    System.err.println("headwater: " + message);
    System.exit(2);
  }
}
