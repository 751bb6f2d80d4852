package dev.headwater;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The media codecs and protocol state machines are pure: no I/O, no threads, no frameworks. */
@AnalyzeClasses(packages = "dev.headwater", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule mediaDoesNotDependOnFrameworksOrIo =
      noClasses()
          .that().resideInAPackage("dev.headwater.media..")
          .should().dependOnClassesThat().resideInAnyPackage(
              "io.vertx..", "io.netty..", "io.smallrye..", "io.micrometer..", "org.slf4j..", "java.nio.file..")
          .orShould().dependOnClassesThat().belongToAnyOf(java.io.File.class, Thread.class)
          .because("media.. is pure parsing and packaging logic, testable without I/O or an event loop");

  @ArchTest
  static final ArchRule mediaDoesNotDependOnOtherHeadwaterPackages =
      noClasses()
          .that().resideInAPackage("dev.headwater.media..")
          .should().dependOnClassesThat(
              resideInAPackage("dev.headwater..").and(resideOutsideOfPackage("dev.headwater.media..")))
          .because("the rest of Headwater depends on media.., never the other way round");
}
