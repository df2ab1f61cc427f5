package dev.caravan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.testing.Csv;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The CLI end to end: Camel routes, every stage, and a real PostgreSQL per test. */
class CliTest extends CliTestBase {

    private Path goodCsv() {
        List<String> lines = new ArrayList<>(List.of("size,color,when,price"));
        for (int i = 0; i < 40; i++) {
            lines.add(i + "," + (i % 3 == 0 ? "red" : "blue") + ",2024-01-" + String.format("%02d", i % 28 + 1) + ","
                    + (i * 2.5 + (i % 3)));
        }
        lines.add("oops,red,2024-01-01,3"); // quarantined: unparseable
        return Csv.write(dir, "good.csv", lines.toArray(String[]::new));
    }

    @Test
    void aRunPrintsExactlyOneJsonObjectAndIsRecorded() {
        CliRunner.Result result = cli.run("run", "--data", goodCsv().toString(), "--target", "price", "--json");

        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonNode run = result.json();
        assertThat(run.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(run.get("error").isNull()).isTrue();
        assertThat(run.get("stages"))
                .extracting(s -> s.get("name").asText())
                .containsExactly(
                        "validate",
                        "ingest",
                        "clean",
                        "split",
                        "transform",
                        "train",
                        "select",
                        "export",
                        "quantize",
                        "bless",
                        "deploy");
        assertThat(run.get("deployment").isNull())
                .as("deploy.target defaults to none")
                .isTrue();
        assertThat(run.get("stages")).allSatisfy(s -> {
            assertThat(s.get("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(s.get("durationMs").asLong()).isNotNegative();
        });
        JsonNode dataset = run.get("dataset");
        assertThat(dataset.get("sha256").asText()).hasSize(64);
        assertThat(dataset.get("rows").asInt()).isEqualTo(41);
        assertThat(dataset.get("columns").asInt()).isEqualTo(4);
        assertThat(dataset.get("quarantinedRows").asInt()).isEqualTo(1);
        assertThat(run.get("artifacts"))
                .extracting(a -> a.get("kind").asText())
                .filteredOn(kind -> !kind.equals("checkpoint"))
                .startsWith("quarantine", "transform", "model", "model-config", "report", "onnx-fp32");
        assertThat(run.get("artifacts"))
                .filteredOn(a -> a.get("kind").asText().equals("checkpoint"))
                .extracting(a -> a.get("stage").asText())
                .containsExactly("ingest", "clean", "split", "transform", "train", "select", "export", "quantize");
        assertThat(run.get("model").get("version").asInt()).isEqualTo(1);
        assertThat(Path.of(run.get("artifactDir").asText()).resolve("transform.json"))
                .exists();

        CliRunner.Result shown = cli.run("runs", "show", run.get("runId").asText(), "--json");
        assertThat(shown.json()).isEqualTo(run);
        CliRunner.Result listed = cli.run("runs", "list", "--json");
        assertThat(listed.json().get("runs"))
                .extracting(r -> r.get("runId").asText())
                .containsExactly(run.get("runId").asText());
    }

    @Test
    void theBundledExampleRunsWithNoArguments() {
        CliRunner.Result result = cli.run("run", "--json");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.json().get("pipeline").asText()).isEqualTo("credit-example");
        assertThat(result.json().get("dataset").get("rows").asInt()).isEqualTo(4454);
    }

    @Test
    void humanOutputShowsStagesAndArtifacts() {
        CliRunner.Result result = cli.run("run", "--data", goodCsv().toString(), "--target", "price");
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("SUCCEEDED", "transform", "quarantine.csv", "1 quarantined");
        assertThat(cli.run("runs", "list").out()).contains("good", "SUCCEEDED");
    }

    static Stream<Arguments> badInputs() {
        return Stream.of(
                Arguments.of("missing file", null, "price", "ingest", "does not exist"),
                Arguments.of("empty file", "", "price", "ingest", "is empty"),
                Arguments.of("header only", "a,price\n", "price", "ingest", "has a header line but no data rows"),
                Arguments.of(
                        "ragged row", "a,price\n1,2\n3\n", "price", "ingest", "line 3: 1 fields, but the header has 2"),
                Arguments.of("unknown target", "a,b\n1,2\n", "price", "ingest", "column 'price' is not in"),
                Arguments.of(
                        "target missing",
                        "a,price\n1,2\n2,\n3,4\n",
                        "price",
                        "clean",
                        "line 3: target 'price' is missing"),
                Arguments.of(
                        "all quarantined",
                        "a,price\nNaN,1\nInf,2\n-Inf,3\n",
                        "price",
                        "clean",
                        "every one of the 3 rows"),
                Arguments.of(
                        "invalid UTF-8", "a,price\n\u00ff,1\n", "price", "ingest", "line 2, field 1: invalid UTF-8"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void badInputFailsTheRunAtItsStageWithAOneLineError(
            String name, String content, String target, String stage, String message) throws Exception {
        Path file = dir.resolve("bad.csv");
        if (content != null) {
            Files.write(
                    file,
                    content.getBytes(
                            name.equals("invalid UTF-8") ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8));
        }
        CliRunner.Result result = cli.run("run", "--data", file.toString(), "--target", target, "--json");

        assertThat(result.exitCode()).isEqualTo(1);
        String lastLine = result.err().strip().lines().reduce((a, b) -> b).orElseThrow();
        assertThat(lastLine).startsWith("error: " + stage + ": ").contains(message);
        assertThat(lastLine).contains("bad.csv");
        JsonNode run = result.json();
        assertThat(run.get("status").asText()).isEqualTo("FAILED");
        assertThat(run.get("failedStage").asText()).isEqualTo(stage);
        assertThat(run.get("error").asText()).contains(message);
        JsonNode stages = run.get("stages");
        JsonNode last = stages.get(stages.size() - 1);
        assertThat(last.get("name").asText())
                .as("no stage runs after the failed one")
                .isEqualTo(stage);
        assertThat(last.get("status").asText()).isEqualTo("FAILED");
        assertThat(db.count("select count(*) from pipeline_runs where status = 'FAILED'"))
                .isEqualTo(1);
    }

    @Test
    void aBadSettingFailsBeforeAnyDataIsRead() {
        // a typed flag refuses a value outside its enum at once, naming the flag and what it accepts
        CliRunner.Result result =
                cli.run("run", "--data", goodCsv().toString(), "--target", "price", "--task", "clustering", "--json");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--task", "'clustering'", "REGRESSION, CLASSIFICATION");
        assertThat(db.count("select count(*) from datasets")).isZero();
        assertThat(db.count("select count(*) from pipeline_runs")).isZero();
    }

    @Test
    void aBadDelimiterFailsAtValidate() {
        Path spec =
                Csv.write(dir, "delimiter.yaml", "data:", "  path: " + goodCsv(), "  delimiter: '\"'", "target: price");
        CliRunner.Result result = cli.run("run", "--pipeline", spec.toString(), "--json");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.json().get("failedStage").asText()).isEqualTo("validate");
        assertThat(result.err()).contains("data.delimiter must be one ASCII character");
    }

    @Test
    void aBadSpecFileIsAUsageErrorNamingTheSetting() {
        Path spec = Csv.write(dir, "spec.yaml", "name: x", "cleaning:", "  missng: drop");
        CliRunner.Result result = cli.run("run", "--pipeline", spec.toString(), "--json");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).contains("spec.yaml line 3: unknown setting 'cleaning.missng'");
        assertThat(db.count("select count(*) from pipeline_runs")).isZero();
    }

    @Test
    void missingArgumentsAreUsageErrors() {
        assertThat(cli.run("run", "--data", "x.csv").exitCode()).isEqualTo(2);
        assertThat(cli.run("run", "--bogus").exitCode()).isEqualTo(2);
        CliRunner.Result unknownRun = cli.run("runs", "show", "abcdef");
        assertThat(unknownRun.exitCode()).isEqualTo(2);
        assertThat(unknownRun.err()).contains("no run with id abcdef");
    }

    @Test
    void flagsOverrideTheSpecFile() {
        Path spec = Csv.write(dir, "spec.yaml", "name: from-file", "data:", "  path: nowhere.csv", "target: nothing");
        CliRunner.Result result = cli.run(
                "run",
                "--pipeline",
                spec.toString(),
                "--data",
                goodCsv().toString(),
                "--target",
                "price",
                "--name",
                "flagged",
                "--seed",
                "7",
                "--json");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.json().get("pipeline").asText()).isEqualTo("flagged");
        assertThat(db.text(
                        "select config->'split'->>'seed' || ' ' || (config->'training'->>'seed') from pipeline_runs"))
                .as("--seed sets the split's seed and training's")
                .isEqualTo("7 7");
    }
}
