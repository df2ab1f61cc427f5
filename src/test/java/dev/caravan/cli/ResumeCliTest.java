package dev.caravan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.testing.CaravanProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Crash recovery: abandoned runs are marked FAILED, and resume continues from the first unfinished stage. */
class ResumeCliTest extends CliTestBase {
    private long attempts(String runId, String stage) {
        return db.count("select count(*) from stage_runs where run_id = '" + runId + "' and stage = '" + stage + "'");
    }

    @Test
    void aRunKilledDuringTrainingIsResumedAndRegistersExactlyOneVersion() throws Exception {
        Path spec = LinearPipeline.spec(
                dir, "training:", "  maxEpochs: 300", "  patience: 300", "  candidates:", "    batchSize: [16]");
        Map<String, String> environment = new HashMap<>(db.environment(dir.resolve("home")));
        environment.put("CARAVAN_HEARTBEAT_TIMEOUT_SECONDS", "1");
        Path log = dir.resolve("killed-run.log");
        Process process = CaravanProcess.start(environment, log, "run", "--pipeline", spec.toString());
        String runId;
        try {
            runId = waitForTraining(process, log);
        } finally {
            process.destroyForcibly(); // SIGKILL: no shutdown hook, no FAILED row
            process.waitFor();
        }
        assertThat(db.count("select count(*) from pipeline_runs where status = 'RUNNING'"))
                .isEqualTo(1);
        Thread.sleep(1_500); // let the heartbeat go stale

        CliRunner.Result resumed = new CliRunner(environment).run("resume", runId, "--json");

        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(resumed.err()).contains("run " + runId + " was abandoned");
        JsonNode run = resumed.json();
        assertThat(run.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(db.count("select count(*) from model_versions")).isEqualTo(1);
        assertThat(db.count("select count(*) from stage_runs where run_id = '" + runId + "' and stage = 'train'"
                        + " and attempt = 1 and status = 'FAILED' and error like 'abandoned: no heartbeat since %'"))
                .isEqualTo(1);
        assertThat(attempts(runId, "train")).isEqualTo(2);
        for (String stage : List.of("validate", "ingest", "clean", "split", "transform")) {
            assertThat(attempts(runId, stage))
                    .as(stage + " was restored, not rerun")
                    .isEqualTo(1);
        }
        assertThat(db.count("select resumed from pipeline_runs where id = '" + runId + "'"))
                .isEqualTo(1);
    }

    /** Waits until the subprocess's run is in its train stage; returns the run id. */
    private String waitForTraining(Process process, Path log) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (Instant.now().isBefore(deadline)) {
            if (db.count("select count(*) from stage_runs where stage = 'train' and status = 'RUNNING'") == 1) {
                return db.text("select run_id::text from stage_runs where stage = 'train'");
            }
            if (!process.isAlive()) {
                throw new AssertionError("the run ended before training:\n" + Files.readString(log));
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no train stage started within 2 minutes:\n" + Files.readString(log));
    }

    @Test
    void resumeRestoresVerifiedCheckpointsAndRerunsFromTheFailedStage() throws IOException {
        // a parity tolerance no export can meet: the run fails at export, after a version was registered
        Path spec = LinearPipeline.quickSpec(dir, "export:", "  parityTolerance: 1.0e-30");
        CliRunner.Result failed = cli.run("run", "--pipeline", spec.toString(), "--json");
        assertThat(failed.exitCode()).isEqualTo(1);
        JsonNode run = failed.json();
        String runId = run.get("runId").asText();
        assertThat(run.get("failedStage").asText()).isEqualTo("export");

        CliRunner.Result again = cli.run("resume", runId, "--json");

        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("export: parity");
        assertThat(attempts(runId, "export")).isEqualTo(2);
        assertThat(attempts(runId, "select")).isEqualTo(1);
        assertThat(db.count("select count(*) from model_versions"))
                .as("select is not rerun")
                .isEqualTo(1);

        // an altered checkpoint is not trusted; rerunning transform would rerun select: a second version
        Path transform = Path.of(run.get("artifactDir").asText(), "checkpoints", "transform.bin");
        Files.write(transform, new byte[] {1}, StandardOpenOption.APPEND);
        CliRunner.Result refused = cli.run("resume", runId);

        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err())
                .contains(
                        "registered version 1 of linear-model, but stage transform would have"
                                + " to run again (its checkpoint is missing or altered), which would register a second version");
        assertThat(attempts(runId, "transform")).isEqualTo(1);
        assertThat(db.count("select count(*) from model_versions")).isEqualTo(1);
    }

    @Test
    void anAlteredCheckpointBeforeAnyVersionIsRecomputed() throws IOException {
        // fails at train (val_accuracy needs a classification target, known once the data is read): no version yet
        Path spec = LinearPipeline.spec(dir, "training:", "  maxEpochs: 40", "  monitor: val_accuracy");
        JsonNode run = cli.run("run", "--pipeline", spec.toString(), "--json").json();
        String runId = run.get("runId").asText();
        assertThat(run.get("failedStage").asText()).isEqualTo("train");
        Files.write(
                Path.of(run.get("artifactDir").asText(), "checkpoints", "split.bin"),
                new byte[] {1},
                StandardOpenOption.APPEND);

        assertThat(cli.run("resume", runId).exitCode()).isEqualTo(2);

        assertThat(attempts(runId, "clean")).isEqualTo(1);
        assertThat(attempts(runId, "split")).as("altered: run again").isEqualTo(2);
        assertThat(attempts(runId, "transform")).isEqualTo(2);
        assertThat(attempts(runId, "train")).isEqualTo(2);
    }

    @Test
    void onlyAFailedRunCanBeResumed() {
        String runId = cli.run(
                        "run", "--pipeline", LinearPipeline.quickSpec(dir).toString(), "--json")
                .json()
                .get("runId")
                .asText();

        CliRunner.Result result = cli.run("resume", runId);

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("run " + runId + " is SUCCEEDED; only a FAILED run can be resumed");
    }

    @Test
    void aRunOfAPipelineThatIsRunningIsRefusedAndRecordsNothing() {
        Path spec = LinearPipeline.quickSpec(dir);
        try (var held = db.registry().runs().tryLock("linear").orElseThrow()) {
            CliRunner.Result result = cli.run("run", "--pipeline", spec.toString());

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.err())
                    .isEqualTo("error: pipeline 'linear' is already running (another run holds its"
                            + " lock); try again when it ends" + System.lineSeparator());
        }
        assertThat(db.count("select count(*) from pipeline_runs")).isZero();
    }
}
