package dev.headwater;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The shape of the code: media is pure; layers point one way (media ← timeline ← ingest / encode /
 * watch / serve ← stream ← application wiring, with config, metrics and bus as shared support below
 * them; cluster uses bus, as the publish relay speaks its publisher interfaces); no package cycles.
 */
@AnalyzeClasses(packages = "dev.headwater", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule mediaDoesNotDependOnFrameworksOrIo =
      noClasses()
          .that()
          .resideInAPackage("dev.headwater.media..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.vertx..",
              "io.netty..",
              "io.smallrye..",
              "io.micrometer..",
              "org.slf4j..",
              "java.nio.file..")
          .orShould()
          .dependOnClassesThat()
          .belongToAnyOf(java.io.File.class, Thread.class)
          .because(
              "media.. is pure parsing and packaging logic, testable without I/O or an event loop");

  @ArchTest
  static final ArchRule mediaDoesNotDependOnOtherHeadwaterPackages =
      noClasses()
          .that()
          .resideInAPackage("dev.headwater.media..")
          .should()
          .dependOnClassesThat(
              resideInAPackage("dev.headwater..")
                  .and(resideOutsideOfPackage("dev.headwater.media..")))
          .because("the rest of Headwater depends on media.., never the other way round");

  @ArchTest
  static final ArchRule noPackageCycles =
      slices()
          .matching("dev.headwater.(*)..")
          .should()
          .beFreeOfCycles()
          .because("a cycle makes two packages one, which no newcomer can read apart");

  @ArchTest
  static final ArchRule layersPointOneWay =
      layeredArchitecture()
          .consideringOnlyDependenciesInLayers()
          .layer("Media")
          .definedBy("dev.headwater.media..")
          .layer("Config")
          .definedBy("dev.headwater.config..")
          .layer("Metrics")
          .definedBy("dev.headwater.metrics..")
          .layer("Cluster")
          .definedBy("dev.headwater.cluster..")
          .layer("Timeline")
          .definedBy("dev.headwater.timeline..")
          .layer("Bus")
          .definedBy("dev.headwater.bus..")
          .layer("Ingest")
          .definedBy("dev.headwater.ingest..")
          .layer("Encode")
          .definedBy("dev.headwater.encode..")
          .layer("Watch")
          .definedBy("dev.headwater.watch..")
          .layer("Record")
          .definedBy("dev.headwater.record..")
          .layer("Serve")
          .definedBy("dev.headwater.serve..")
          .layer("Stream")
          .definedBy("dev.headwater.stream..")
          .layer("App")
          .definedBy("dev.headwater", "dev.headwater.demo..")
          .whereLayer("App")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("Stream")
          .mayOnlyBeAccessedByLayers("App")
          .whereLayer("Ingest")
          .mayOnlyBeAccessedByLayers("Stream", "App")
          .whereLayer("Encode")
          .mayOnlyBeAccessedByLayers("Stream", "App")
          .whereLayer("Watch")
          .mayOnlyBeAccessedByLayers("Stream", "App")
          .whereLayer("Serve")
          .mayOnlyBeAccessedByLayers("Stream", "App")
          .whereLayer("Cluster")
          .mayOnlyBeAccessedByLayers("Serve", "Stream", "App")
          .whereLayer("Record")
          .mayOnlyBeAccessedByLayers("Serve", "Stream", "App")
          .whereLayer("Bus")
          .mayOnlyBeAccessedByLayers(
              "Cluster", "Ingest", "Encode", "Watch", "Serve", "Stream", "App")
          .whereLayer("Timeline")
          .mayOnlyBeAccessedByLayers(
              "Ingest", "Encode", "Watch", "Record", "Serve", "Stream", "App")
          .whereLayer("Metrics")
          .mayOnlyBeAccessedByLayers(
              "Timeline", "Ingest", "Encode", "Watch", "Serve", "Stream", "App")
          .whereLayer("Config")
          .mayOnlyBeAccessedByLayers(
              "Metrics",
              "Cluster",
              "Timeline",
              "Bus",
              "Ingest",
              "Encode",
              "Watch",
              "Record",
              "Serve",
              "Stream",
              "App")
          .because(
              "each layer builds on the ones below; the stream owner composes ingest, encode and watch,"
                  + " and nothing below it reaches up");
}
