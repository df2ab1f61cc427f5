package dev.caravan.pipeline;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.data.CaravanException;
import dev.caravan.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner refuses routes/pipeline.yaml when it disagrees with the stage model, naming the file and the step. */
class PipelineRouteTest {
    private static final Path SHIPPED = Path.of("routes/pipeline.yaml");

    @TempDir
    Path dir;

    private final TestDatabase db = TestDatabase.create();

    @AfterEach
    void close() {
        db.close();
    }

    /** Starts a runner on the shipped route file with {@code from} replaced by {@code to}. */
    private void startOn(String from, String to) throws IOException {
        String shipped = Files.readString(SHIPPED);
        if (!shipped.contains(from)) {
            throw new AssertionError("the shipped routes have no '" + from + "'");
        }
        Path routes = Files.writeString(dir.resolve("pipeline.yaml"), shipped.replace(from, to));
        try (CamelHost camel = new CamelHost("file:" + routes);
                PipelineRunner runner = new PipelineRunner(db.registry(), dir, Duration.ofSeconds(60), camel)) {
            runner.start();
        }
    }

    @Test
    void theShippedRoutesAgreeWithTheStageModel() {
        assertThatCode(() -> startOn("- to: direct:clean", "- to: direct:clean"))
                .doesNotThrowAnyException();
    }

    @Test
    void stagesOutOfOrderStopTheRunnerAtTheFirstDifference() {
        assertThatThrownBy(() -> startOn(
                        "        - to: direct:clean\n        - to: direct:split\n",
                        "        - to: direct:split\n        - to: direct:clean\n"))
                .isInstanceOf(CaravanException.class)
                .hasMessageContaining(dir.resolve("pipeline.yaml").toString())
                .hasMessageContaining("step 3 of route 'pipeline' is to: direct:split, but the stage model"
                        + " (PipelineStages) has to: direct:clean there");
    }

    @Test
    void aMissingStageStopsTheRunner() {
        assertThatThrownBy(() -> startOn("        - to: direct:bless\n", ""))
                .isInstanceOf(CaravanException.class)
                .hasMessageContaining("step 10 of route 'pipeline' is to: direct:deploy, but the stage model"
                        + " (PipelineStages) has to: direct:bless there");
    }

    @Test
    void aStageWithoutItsOwnRouteStopsTheRunner() {
        assertThatThrownBy(() -> startOn("      uri: direct:quantize\n", "      uri: direct:quantise\n"))
                .isInstanceOf(CaravanException.class)
                .hasMessageContaining(
                        "no route starts from direct:quantize, which route 'pipeline' calls for stage" + " quantize");
    }

    @Test
    void aStageRouteRunningAnotherStagesBeanStopsTheRunner() {
        assertThatThrownBy(() -> startOn(
                        "      uri: direct:export\n      steps:\n        - process:\n            ref: export\n",
                        "      uri: direct:export\n      steps:\n        - process:\n            ref: quantize\n"))
                .isInstanceOf(CaravanException.class)
                .hasMessageContaining("the route from direct:export has the steps [process: quantize], but it must"
                        + " run the stage's own bean alone: [process: export]");
    }

    @Test
    void aRouteWithoutTheErrorConfigurationStopsTheRunner() {
        assertThatThrownBy(() ->
                        startOn("    id: pipeline\n    routeConfigurationId: caravan-errors\n", "    id: pipeline\n"))
                .isInstanceOf(CaravanException.class)
                .hasMessageContaining("route 'pipeline' must set routeConfigurationId: caravan-errors, which records"
                        + " a failed run");
    }
}
