package dev.caravan;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.caravan.clean.fixture.CleanerThatSplits;
import dev.caravan.serve.ServingRuntime;
import dev.caravan.serve.fixture.ServerThatQueriesTheRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The architecture as rules the build checks: stage packages import only {@code data}; the packages form no
 * cycle; the registry imports no package above it; the classes the model server's image ships use nothing the
 * image lacks. Each rule is also shown failing on a fixture that breaks it (test classes, not shipped).
 */
class ArchitectureTest {
    /** The packages of the pipeline's stages: each may use {@code data} and libraries, never another stage. */
    private static final List<String> STAGES =
            List.of("ingest", "clean", "split", "transform", "train", "onnx", "evaluate", "deploy");

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.caravan");

    private static List<ArchRule> stagesImportOnlyData() {
        return STAGES.stream()
                .map(stage -> (ArchRule) classes()
                        .that()
                        .resideInAPackage("dev.caravan." + stage + "..")
                        .should()
                        .onlyDependOnClassesThat(describe(
                                "classes of " + stage + ", data or a library",
                                (JavaClass target) -> !target.getPackageName().startsWith("dev.caravan")
                                        || inPackage(target, "dev.caravan." + stage)
                                        || inPackage(target, "dev.caravan.data")))
                        .as("stage package " + stage + " imports only dev.caravan.data"))
                .toList();
    }

    private static ArchRule noCycles() {
        return slices().matching("dev.caravan.(*)..").should().beFreeOfCycles();
    }

    private static ArchRule registryImportsOnlyData() {
        return classes()
                .that()
                .resideInAPackage("dev.caravan.registry..")
                .should()
                .onlyDependOnClassesThat(describe(
                        "the registry's own classes, data or a library",
                        (JavaClass target) -> !target.getPackageName().startsWith("dev.caravan")
                                || inPackage(target, "dev.caravan.registry")
                                || inPackage(target, "dev.caravan.data")))
                .as("the registry imports no Caravan package but data");
    }

    /** The image holds {@link ServingRuntime#PACKAGES} and the jars of its libraries, and the JDK. */
    private static ArchRule servingClassesUseOnlyWhatTheImageShips() {
        List<String> shipped = new ArrayList<>(ServingRuntime.PACKAGES);
        ServingRuntime.LIBRARIES.forEach(library -> shipped.addAll(library.packages()));
        return classes()
                .that(describe(
                        "classes the model server's image ships", (JavaClass origin) -> ServingRuntime.PACKAGES.stream()
                                .anyMatch(name -> inPackage(origin, name))))
                .should()
                .onlyDependOnClassesThat(describe(
                        "the JDK, the shipped packages or the shipped libraries",
                        (JavaClass target) -> target.getPackageName().startsWith("java")
                                || target.isPrimitive()
                                || target.isArray()
                                || shipped.stream().anyMatch(name -> inPackage(target, name))))
                .as("the serving classes use only what ServingRuntime ships");
    }

    private static boolean inPackage(JavaClass target, String name) {
        String targetPackage = target.getPackageName();
        return targetPackage.equals(name) || targetPackage.startsWith(name + ".");
    }

    private static Stream<ArchRule> allRules() {
        return Stream.concat(
                stagesImportOnlyData().stream(),
                Stream.of(noCycles(), registryImportsOnlyData(), servingClassesUseOnlyWhatTheImageShips()));
    }

    @Test
    void theMainCodeKeepsEveryRule() {
        allRules().forEach(rule -> rule.check(MAIN));
    }

    @Test
    void aStageImportingAnotherStageBreaksTheStageRule() {
        EvaluationResult result = stagesImportOnlyData()
                .get(STAGES.indexOf("clean"))
                .evaluate(new ClassFileImporter().importClasses(CleanerThatSplits.class));
        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().toString()).contains("CleanerThatSplits", "dev.caravan.split.Splitter");
    }

    @Test
    void aServingClassUsingTheRegistryBreaksTheServingRule() {
        EvaluationResult result = servingClassesUseOnlyWhatTheImageShips()
                .evaluate(new ClassFileImporter().importClasses(ServerThatQueriesTheRegistry.class));
        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().toString()).contains("dev.caravan.registry.Registry");
    }
}
