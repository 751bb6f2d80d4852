package dev.headwater.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Keeps each fuzz target's seed corpus in step with the code that makes it. Jazzer replays, and
 * starts fuzzing from, the files in {@code src/test/resources/<package>/<Class>Inputs/<method>/};
 * the seeds there are built by the test classes from real captures and fixtures, written only on
 * purpose with {@code -Dfuzz.seeds.update=true}. Crash files Jazzer adds beside them are kept.
 */
public final class FuzzSeeds {

  private FuzzSeeds() {}

  /** Fails unless every seed is committed with exactly these bytes (or writes them on request). */
  public static void check(Class<?> fuzzTest, String method, Map<String, byte[]> seeds) {
    Path dir =
        Path.of("src", "test", "resources")
            .resolve(fuzzTest.getPackageName().replace('.', '/'))
            .resolve(fuzzTest.getSimpleName() + "Inputs")
            .resolve(method);
    try {
      for (Map.Entry<String, byte[]> seed : seeds.entrySet()) {
        Path file = dir.resolve(seed.getKey());
        if (Boolean.getBoolean("fuzz.seeds.update")) {
          Files.createDirectories(dir);
          Files.write(file, seed.getValue());
        }
        assertTrue(
            Files.exists(file), "missing seed " + file + "; run with -Dfuzz.seeds.update=true");
        assertArrayEquals(
            seed.getValue(),
            Files.readAllBytes(file),
            "stale seed " + file + "; run with -Dfuzz.seeds.update=true");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
