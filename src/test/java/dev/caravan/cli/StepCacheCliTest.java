package dev.caravan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Stages with the same settings and input checkpoints reuse an earlier result, never a damaged one. */
class StepCacheCliTest extends CliTestBase {
    private static final String[] CACHED = {"ingest", "clean", "split", "transform", "train"};

    private JsonNode run(Path spec, String... flags) {
        String[] args = new String[3 + flags.length];
        args[0] = "run";
        args[1] = "--pipeline";
        args[2] = spec.toString();
        System.arraycopy(flags, 0, args, 3, flags.length);
        CliRunner.Result result = cli.run(args);
        assertThat(result.exitCode()).as(result.err()).isZero();
        return result.json();
    }

    /** Each stage's name to the run it was reused from ("" when it ran). */
    private static Map<String, String> cachedFrom(JsonNode run) {
        Map<String, String> sources = new LinkedHashMap<>();
        for (JsonNode stage : run.get("stages")) {
            sources.put(stage.get("name").asText(), stage.get("cachedFromRun").asText(""));
        }
        return sources;
    }

    @Test
    void aSecondIdenticalRunIsServedFromTheCache() {
        Path spec = LinearPipeline.quickSpec(dir);
        JsonNode first = run(spec, "--json");
        JsonNode second = run(spec, "--json");

        String firstId = first.get("runId").asText();
        Map<String, String> sources = cachedFrom(second);
        for (String stage : CACHED) {
            assertThat(sources.get(stage)).as(stage).isEqualTo(firstId);
        }
        assertThat(sources.get("select")).as("select registers its own version").isEmpty();
        assertThat(second.get("model").get("version").asInt()).isEqualTo(2);
        assertThat(second.get("model").get("metrics"))
                .as("the same weights")
                .isEqualTo(first.get("model").get("metrics"));
        assertThat(second.get("dataset").get("sha256"))
                .isEqualTo(first.get("dataset").get("sha256"));
        assertThat(second.get("candidates")).hasSameSizeAs(first.get("candidates"));
        assertThat(db.count("select count(*) from training_epochs e join training_candidates c on c.id = e.candidate_id"
                        + " where c.run_id = '" + second.get("runId").asText() + "'"))
                .isPositive();
        assertThat(cli.run("runs", "show", second.get("runId").asText()).out()).contains("cached from run " + firstId);
    }

    @Test
    void aCorruptedOrMissingCachedArtifactIsRecomputedNotTrusted() throws Exception {
        Path spec = LinearPipeline.quickSpec(dir);
        JsonNode first = run(spec, "--json");
        Path checkpoints = Path.of(first.get("artifactDir").asText(), "checkpoints");
        Files.write(checkpoints.resolve("train.bin"), new byte[] {42}, StandardOpenOption.APPEND);
        Files.delete(checkpoints.resolve("clean.bin"));

        CliRunner.Result result = cli.run("run", "--pipeline", spec.toString(), "--json");

        assertThat(result.exitCode()).as(result.err()).isZero();
        Map<String, String> sources = cachedFrom(result.json());
        String firstId = first.get("runId").asText();
        assertThat(sources.get("ingest")).isEqualTo(firstId);
        assertThat(sources.get("clean")).as("missing checkpoint").isEmpty();
        assertThat(sources.get("split"))
                .as("the recomputed clean checkpoint is byte-identical")
                .isEqualTo(firstId);
        assertThat(sources.get("transform")).isEqualTo(firstId);
        assertThat(sources.get("train")).as("altered checkpoint").isEmpty();
    }

    @Test
    void noCacheRunsEveryStage() {
        Path spec = LinearPipeline.quickSpec(dir);
        run(spec, "--json");
        JsonNode second = run(spec, "--json", "--no-cache");

        assertThat(cachedFrom(second).values()).containsOnly("");
    }

    @Test
    void aChangedSettingMissesTheCacheFromThatStageOn() {
        JsonNode first = run(LinearPipeline.quickSpec(dir), "--json");
        JsonNode second = run(LinearPipeline.quickSpec(dir, "transform:", "  method: zscore"), "--json");

        Map<String, String> sources = cachedFrom(second);
        assertThat(sources.get("split")).isEqualTo(first.get("runId").asText());
        assertThat(sources.get("transform")).isEmpty();
        assertThat(sources.get("train")).isEmpty();
    }
}
