package dev.headwater.it;

import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Every playlist an integration test fetches is also read by two parsers nobody here wrote:
 * hls-parser in strict mode and m3u8-parser, whose warnings count as failures
 * (src/test/js/check-playlists.js). A reader written next to the writer shares its misreadings;
 * these two do not.
 *
 * <p>One node process serves the whole test JVM (failsafe runs every IT in one fork): it starts on
 * the first playlist, costs ~100 ms once and well under a millisecond per playlist after that. It
 * is the one static in the tests because the process is shared by every test class, and it ends
 * with the JVM (its stdin closes; a shutdown hook also destroys it). Without node or npm the check
 * fails the test: a conformance check that silently skips would let CI pass on a machine that never
 * ran it.
 */
final class PlaylistConformance {
  private static final Path DIR = Path.of("src", "test", "js").toAbsolutePath();
  private static final long ANSWER_TIMEOUT_SECONDS = 30;

  /** Put on the queue when the checker's stdout ends; compared by identity. */
  private static final String EOF = new String("EOF");

  private static PlaylistConformance instance;

  private final Process node;
  private final OutputStream requests;
  private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
  private final Path stderr;

  private PlaylistConformance(Process node, Path stderr) {
    this.node = node;
    this.requests = node.getOutputStream();
    this.stderr = stderr;
    // A reader thread, so that a hung checker fails the test after a timeout instead of hanging the
    // build.
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                  answers.add(line);
                }
              } catch (IOException e) {
                // Reported as the end of the stream below.
              }
              answers.add(EOF);
            },
            "playlist-conformance-reader");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Fails the calling test, with both parsers' messages and the playlist, unless both accept it.
   */
  static void check(String uri, String text) {
    List<String> errors = shared().errors(uri, text, "playlist");
    if (!errors.isEmpty()) {
      fail(
          "playlist "
              + uri
              + " fails the conformance check:\n  "
              + String.join("\n  ", errors)
              + "\n--- playlist ---\n"
              + text);
    }
  }

  /**
   * Fails the calling test unless mpd-parser (video.js) reads {@code mpd} and finds video and audio
   * with segments in it.
   */
  static void checkMpd(String uri, String mpd) {
    List<String> errors = shared().errors(uri, mpd, "mpd");
    if (!errors.isEmpty()) {
      fail(
          "MPD "
              + uri
              + " fails mpd-parser:\n  "
              + String.join("\n  ", errors)
              + "\n--- MPD ---\n"
              + mpd);
    }
  }

  private static synchronized PlaylistConformance shared() {
    if (instance == null || !instance.node.isAlive()) {
      instance = start();
    }
    return instance;
  }

  private synchronized List<String> errors(String uri, String text, String kind) {
    try {
      requests.write(
          (new JsonObject().put("uri", uri).put("text", text).put("kind", kind).encode() + "\n")
              .getBytes(StandardCharsets.UTF_8));
      requests.flush();
      String line = answers.poll(ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      if (line == null) {
        // Out of step with its answers now: the next check starts a fresh process.
        retire();
        fail(
            "the playlist conformance checker did not answer within "
                + ANSWER_TIMEOUT_SECONDS
                + " s: "
                + stderrText());
      }
      if (line == EOF) {
        retire();
        fail("the playlist conformance checker exited (" + exitCode() + "): " + stderrText());
      }
      JsonObject answer = new JsonObject(line);
      if (answer.getBoolean("ok", false)) {
        return List.of();
      }
      return answer.getJsonArray("errors").stream().map(String::valueOf).toList();
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot talk to the playlist conformance checker: " + stderrText(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Installs {@code src/test/js} with {@code npm ci} when its node_modules is missing or older than
   * its lock file (a pulled change added a tool): the parsers and the stock players' pages need it.
   */
  static synchronized void ensureNodeModules() {
    Path installed = DIR.resolve("node_modules").resolve(".package-lock.json");
    try {
      if (!Files.exists(installed)
          || Files.getLastModifiedTime(DIR.resolve("package-lock.json"))
                  .compareTo(Files.getLastModifiedTime(installed))
              > 0) {
        npmCi();
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static PlaylistConformance start() {
    String node = onPath("node");
    if (node == null) {
      fail(
          "node is not on PATH: the integration tests check every playlist with parsers in "
              + DIR
              + " (install Node.js and npm, e.g. apt-get install nodejs npm; .ci/run does)");
    }
    ensureNodeModules();
    try {
      Path stderr = Files.createTempFile("playlist-conformance", ".stderr");
      Process p =
          new ProcessBuilder(node, "check-playlists.js")
              .directory(DIR.toFile())
              .redirectError(stderr.toFile())
              .start();
      PlaylistConformance checker = new PlaylistConformance(p, stderr);
      Runtime.getRuntime().addShutdownHook(new Thread(p::destroy));
      return checker;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + node + " check-playlists.js in " + DIR, e);
    }
  }

  /** Installs the pinned parsers from the committed lock file, as .ci/run does before the build. */
  private static void npmCi() {
    String npm = onPath("npm");
    if (npm == null) {
      fail(
          "npm is not on PATH and "
              + DIR.resolve("node_modules")
              + " is missing: install npm"
              + " (apt-get install npm) or run npm ci in "
              + DIR);
    }
    try {
      Path log = Files.createTempFile("npm-ci", ".log");
      Process p =
          new ProcessBuilder(npm, "ci", "--no-audit", "--no-fund")
              .directory(DIR.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        fail("npm ci in " + DIR + " took more than 5 minutes: " + Files.readString(log));
      }
      if (p.exitValue() != 0) {
        fail("npm ci in " + DIR + " failed (" + p.exitValue() + "):\n" + Files.readString(log));
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run npm ci in " + DIR, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void retire() {
    node.destroyForcibly();
    synchronized (PlaylistConformance.class) {
      if (instance == this) {
        instance = null;
      }
    }
  }

  private String exitCode() {
    try {
      return node.waitFor(ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS)
          ? "exit " + node.exitValue()
          : "still running";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  private String stderrText() {
    try {
      return Files.readString(stderr);
    } catch (IOException e) {
      return "(stderr unreadable: " + e.getMessage() + ")";
    }
  }

  static String onPath(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      File f = new File(dir, name);
      if (f.isFile() && f.canExecute()) {
        return f.getPath();
      }
    }
    return null;
  }
}
