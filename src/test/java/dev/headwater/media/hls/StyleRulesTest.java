package dev.headwater.media.hls;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Guards the project's style guide for this package: pure Java, one writer per playlist kind. */
class StyleRulesTest {

  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.headwater.media.hls");

  @Test
  void dependsOnlyOnTheJdkCoreLibraries() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideOutsideOfPackages(
            "dev.headwater.media.hls", "java.lang..", "java.util..", "java.time..", "java.math..")
        .check(MAIN);
  }

  @Test
  void neverReadsTheClockOrStartsThreads() {
    noClasses()
        .should()
        .callMethod(Instant.class, "now")
        .orShould()
        .dependOnClassesThat()
        .areAssignableTo(Clock.class)
        .orShould()
        .dependOnClassesThat()
        .areAssignableTo(Thread.class)
        .orShould()
        .callMethod(System.class, "currentTimeMillis")
        .orShould()
        .callMethod(System.class, "nanoTime")
        .check(MAIN);
  }

  @Test
  void onlyTheTwoWritersContainTagText() throws IOException {
    Path sources = Path.of("src", "main", "java", "dev", "headwater", "media", "hls");
    List<String> writingTags;
    try (Stream<Path> files = Files.list(sources)) {
      writingTags =
          files
              .filter(
                  f -> {
                    try {
                      return Files.readString(f).contains("\"#EXT");
                    } catch (IOException e) {
                      throw new java.io.UncheckedIOException(e);
                    }
                  })
              .map(f -> f.getFileName().toString())
              .sorted()
              .toList();
    }
    assertEquals(
        List.of("MediaPlaylistWriter.java", "MultivariantPlaylistWriter.java"), writingTags);
  }
}
