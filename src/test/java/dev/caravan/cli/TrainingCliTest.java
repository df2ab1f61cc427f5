package dev.caravan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.onnx.OnnxMetadata;
import dev.caravan.testing.Csv;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Training through the whole pipeline: candidates, selection, the registry and bad training settings. */
class TrainingCliTest extends CliTestBase {

    private Path spec(String... trainingLines) {
        return LinearPipeline.quickSpec(dir, trainingLines);
    }

    @Test
    void trainsSelectsAndRegistersAVersionThatBeatsTheBaseline() throws Exception {
        Path spec =
                spec("  candidates:", "    hidden: [[16], [8, 8]]", "    learningRate: [0.01]", "    batchSize: [32]");
        CliRunner.Result first = cli.run("run", "--pipeline", spec.toString(), "--json");

        assertThat(first.exitCode()).as(first.err()).isZero();
        JsonNode run = first.json();
        assertThat(run.get("stages"))
                .extracting(s -> s.get("name").asText())
                .endsWith("transform", "train", "select", "export", "quantize", "bless", "deploy");
        JsonNode model = run.get("model");
        assertThat(model.get("name").asText()).isEqualTo("linear-model");
        assertThat(model.get("version").asInt()).isEqualTo(1);
        assertThat(model.get("metrics").get("r2").asDouble()).isGreaterThan(0.9);
        assertThat(model.get("metrics").get("rmse").asDouble())
                .isLessThan(model.get("baseline").get("rmse").asDouble() / 3);
        assertThat(model.get("device").asText()).isEqualTo("cpu");
        assertThat(model.get("stopReason").asText()).isIn("patience exhausted", "max epochs");
        assertThat(model.get("bestEpoch").asInt())
                .isBetween(1, model.get("stoppedEpoch").asInt());
        // two, and the better trained again from two more seeds for the default ensemble of three
        assertThat(run.get("candidates")).hasSize(4);
        assertThat(run.get("artifacts"))
                .extracting(a -> a.get("kind").asText())
                .contains("model", "model-config", "report");
        assertThat(db.count("select count(*) from training_epochs")).isGreaterThanOrEqualTo(12);
        JsonNode onnx = run.get("onnx");
        assertThat(onnx.get("chosen").asText()).isIn("fp32", "int8");
        assertThat(onnx.get("reason").asText()).startsWith(onnx.get("chosen").asText());
        assertThat(onnx.get("fp32").get("metrics").get("rmse").asDouble())
                .isCloseTo(model.get("metrics").get("rmse").asDouble(), Assertions.within(1e-3));
        assertThat(onnx.get("int8").get("latency").get("batch256Ms").asDouble()).isPositive();
        assertThat(db.count("select count(*) from model_exports e join model_versions v on v.id = e.model_version_id"
                        + " where e.int8_artifact_id is not null"))
                .isEqualTo(1);
        JsonNode parity = run.get("stages").get(7).get("metrics");
        assertThat(parity.get("relativeDifference").asDouble()).isLessThan(1e-4);

        CliRunner.Result second = cli.run("run", "--pipeline", spec.toString(), "--json", "--no-cache");
        JsonNode again = second.json().get("model");
        assertThat(again.get("version").asInt()).isEqualTo(2);
        // Bit-for-bit determinism is asserted on the trainer (MlpTrainerTest); across whole pipeline runs in one
        // JVM a last-bits difference was seen once (PyTorch's vectorized reductions depend on buffer alignment).
        model.get("metrics").fields().forEachRemaining(metric -> assertThat(
                        again.get("metrics").get(metric.getKey()).asDouble())
                .as("seeded runs agree on " + metric.getKey())
                .isCloseTo(metric.getValue().asDouble(), Assertions.withinPercentage(0.5)));
        assertThat(cli.run("runs", "show", run.get("runId").asText()).out())
                .contains("report.html", "linear-model version 1");
    }

    @Test
    void aSmallTableWithNoSpecIsSearchedByHalvingAndEndsByEarlyStopping() throws Exception {
        Path data = LinearPipeline.data(dir);
        CliRunner.Result result = cli.run("run", "--data", data.toString(), "--target", "y", "--json");

        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonNode run = result.json();
        assertThat(run.get("model").get("stopReason").asText()).isEqualTo("patience exhausted");
        JsonNode train = stage(run, "train").get("metrics");
        assertThat(train.get("search").asText()).startsWith("successive halving, rungs at epochs");
        JsonNode derived = train.get("derived");
        assertThat(derived.get("training.candidates.batchSize").asText()).startsWith("8, 16 and 32 around 16 (");
        assertThat(derived.get("training.maxEpochs").asText()).contains("5000 optimizer steps");
        // twelve searched, and the best trained again from two more seeds for the default ensemble of three
        assertThat(run.get("candidates")).hasSize(14);
        assertThat(db.count("select count(*) from training_candidates where jsonb_array_length(rungs) > 0"))
                .isEqualTo(12);
        assertThat(db.count("select count(*) from training_candidates"
                        + " where rungs @> '[{\"rung\": 1, \"promoted\": false}]'"))
                .isEqualTo(8);
        assertThat(cli.run("runs", "show", run.get("runId").asText()).out())
                .containsPattern("training.maxEpochs = \\d+ \\(")
                .containsPattern("rung 1 \\(epoch \\d+\\): promoted \\d+, \\d+, \\d+, \\d+; halted ")
                .containsPattern("ensemble: (no ensemble|the mean of candidates)");
        Path report = Path.of(run.get("artifactDir").asText(), "report.html");
        assertThat(Files.readString(report))
                .contains("<h2>Search</h2><p>successive halving", "halted (the best 4 go on)")
                .contains("Validation loss of every candidate");
    }

    /**
     * A strictly positive target whose logarithm is linear, with multiplicative noise: the search lets every other
     * candidate learn the logarithm, compares all in the target's units, and a log model exports with its
     * inverse in the graph (the run's parity check compares ONNX Runtime with DJL in the target's units).
     */
    @Test
    void aSkewedPositiveTargetIsAlsoTriedOnItsLogarithm() throws Exception {
        SplittableRandom random = new SplittableRandom(12);
        List<String> lines = new ArrayList<>(List.of("a,b,y"));
        for (int i = 0; i < 400; i++) {
            double a = random.nextDouble(-1, 1);
            double b = random.nextDouble(-1, 1);
            double y = Math.exp(2 * a + b + random.nextDouble(-0.1, 0.1));
            lines.add(String.format(Locale.ROOT, "%.4f,%.4f,%.6f", a, b, y));
        }
        Path data = Csv.write(dir, "skewed.csv", lines.toArray(String[]::new));
        CliRunner.Result result = cli.run("run", "--data", data.toString(), "--target", "y", "--json");

        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonNode run = result.json();
        assertThat(stage(run, "train")
                        .get("metrics")
                        .get("derived")
                        .get("training.target")
                        .asText())
                .startsWith("the log of the target for every other candidate: 'y' is strictly positive and skewed");
        assertThat(run.get("candidates"))
                .filteredOn(c -> c.get("params").path("target").asText().equals("log"))
                .hasSizeGreaterThanOrEqualTo(6);
        JsonNode model = run.get("model");
        assertThat(model.get("params").path("target").asText()).isEqualTo("log");
        assertThat(model.get("metrics").get("r2").asDouble()).isGreaterThan(0.95);
        byte[] onnx = Files.readAllBytes(Path.of(run.get("artifactDir").asText(), "model.onnx"));
        assertThat(OnnxMetadata.transform(onnx).target().logged()).isTrue();
    }

    private static JsonNode stage(JsonNode run, String name) {
        for (JsonNode stage : run.get("stages")) {
            if (stage.get("name").asText().equals(name)) {
                return stage;
            }
        }
        throw new AssertionError("no stage " + name + " in " + run);
    }

    @Test
    void anInt8ModelThatLosesAccuracyIsRejectedWithTheNumbers() throws Exception {
        // calibration clipped to the 90th percentile costs accuracy in every layer; a zero tolerance then sends
        // each back to FP32, most sensitive first, until none is left
        Path spec = spec(
                "  candidates:",
                "    hidden: [[16]]",
                "  ensemble:",
                "    size: 1",
                "quantization:",
                "  method: percentile",
                "  percentile: 90",
                "  tolerance: 0");
        JsonNode onnx =
                cli.run("run", "--pipeline", spec.toString(), "--json").json().get("onnx");

        assertThat(onnx.get("chosen").asText()).isEqualTo("fp32");
        assertThat(onnx.get("reason").asText())
                .startsWith("fp32 kept: every layer had to stay FP32: with 1 of 2 layers quantized the model lost ")
                .contains("allowed 0.00%");
        assertThat(onnx.get("int8").get("layers"))
                .hasSize(2)
                .allMatch(layer -> layer.get("fp32").asBoolean()
                        && layer.get("why").asText().contains("rmse"));
        assertThat(db.count("select count(*) from model_exports where chosen = 'fp32'"))
                .isEqualTo(1);
    }

    static Stream<Arguments> badSettings() {
        return Stream.of(
                Arguments.of(
                        "zero learning rate",
                        List.of("  candidates:", "    learningRate: [0]"),
                        "learningRate must be > 0, got 0.0"),
                Arguments.of(
                        "negative batch size",
                        List.of("  candidates:", "    batchSize: [-8]"),
                        "batchSize must be > 0, got -8"),
                Arguments.of("zero epochs", List.of("  maxEpochs: 0"), "maxEpochs must be > 0, got 0"),
                Arguments.of("empty grid", List.of("  candidates:", "    hidden: []"), "the candidate grid is empty"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSettings")
    void aBadTrainingSettingFailsBeforeTrainingAndRegistersNothing(String name, List<String> lines, String message)
            throws Exception {
        CliRunner.Result result =
                cli.run("run", "--pipeline", spec(lines.toArray(String[]::new)).toString(), "--json");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains(message);
        JsonNode run = result.json();
        assertThat(run.get("status").asText()).isEqualTo("FAILED");
        assertThat(run.get("failedStage").asText()).isEqualTo("validate");
        assertThat(db.count("select count(*) from model_versions")).isZero();
        assertThat(db.count("select count(*) from stage_runs where stage = 'train'"))
                .isZero();
    }

    static Stream<Arguments> unknownNames() {
        return Stream.of(
                Arguments.of(
                        "unknown activation",
                        "  activation: swish",
                        "unknown activation 'swish' at training.activation (expected relu, gelu or tanh)"),
                Arguments.of(
                        "unknown optimizer",
                        "  optimizer: lbfgs",
                        "unknown optimizer 'lbfgs' at training.optimizer (expected adam or sgd)"));
    }

    /** A typed setting refuses a name outside its enum when the spec loads, naming the line, setting and choices. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("unknownNames")
    void anUnknownNameIsRefusedWhenTheSpecLoadsAndRecordsNothing(String name, String line, String message)
            throws Exception {
        CliRunner.Result result = cli.run("run", "--pipeline", spec(line).toString(), "--json");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("spec.yaml line 10: " + message);
        assertThat(db.count("select count(*) from pipeline_runs")).isZero();
    }

    @Test
    void aClassificationTargetWithOneClassFailsBeforeTraining() {
        Path file = Csv.write(
                dir,
                "one-class.csv",
                "x,label",
                "1,yes",
                "2,yes",
                "3,yes",
                "4,yes",
                "5,yes",
                "6,yes",
                "7,yes",
                "8,yes",
                "9,yes",
                "10,yes");
        CliRunner.Result result =
                cli.run("run", "--data", file.toString(), "--target", "label", "--task", "classification", "--json");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.json().get("failedStage").asText()).isEqualTo("transform");
        assertThat(result.err()).contains("target 'label' has only one class");
        assertThat(db.count("select count(*) from model_versions")).isZero();
    }
}
