package dev.caravan.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.registry.Database;
import dev.caravan.registry.Registry;
import dev.caravan.registry.entity.RunDetail;
import dev.caravan.registry.entity.RunStatus;
import dev.caravan.spec.PipelineCatalog;
import dev.caravan.spec.PipelineSpec;
import dev.caravan.testing.Await;
import dev.caravan.testing.EmbeddedServerControl;
import dev.caravan.testing.TinyPipeline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run on the embedded server while that server restarts: a short outage costs the run nothing; one longer than
 * the run store's window fails it in one line naming the database, and resume finishes it.
 */
class DatabaseOutageTest {
    private static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(6);

    @TempDir
    Path dir;

    private Database database;
    private PipelineRunner runner;

    @AfterEach
    void tearDown() {
        if (runner != null) {
            runner.close();
        }
        if (database != null) {
            database.close();
        }
    }

    private Registry start(Duration outageWindow) {
        database = Database.embedded(dir.resolve("postgres"), outageWindow);
        Registry registry = database.registry();
        runner = PipelineRunner.start(registry, dir.resolve("runs"), HEARTBEAT_TIMEOUT);
        return registry;
    }

    /** The tiny pipeline, training long enough for the server to go away meanwhile. */
    private PipelineSpec longerTraining() throws IOException {
        Path file = TinyPipeline.write(dir, "outage");
        Files.writeString(
                file,
                Files.readString(file)
                        .replace("maxEpochs: 5", "maxEpochs: 200")
                        .replace("patience: 5", "patience: 200"));
        return PipelineCatalog.load(List.of(file), null)
                .find("outage")
                .orElseThrow()
                .spec();
    }

    @Test
    void aRestartDuringTrainingCostsTheRunNothing() throws Exception {
        Registry registry = start(Duration.ofSeconds(60));
        EmbeddedServerControl server = new EmbeddedServerControl(dir.resolve("postgres"));
        CompletableFuture<PipelineRunner.RunResult> run = runUntilItTrains();

        server.stop();
        Thread.sleep(3000);
        server.start();

        PipelineRunner.RunResult result = run.get(5, TimeUnit.MINUTES);
        assertThat(result.failure()).isNull();
        RunDetail detail = registry.runQueries().detail(result.runId()).orElseThrow();
        assertThat(detail.run().status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(detail.stages()).as("every stage once").hasSize(PipelineStages.ALL.size());
        assertThat(count("select count(*) from model_versions")).isEqualTo(1);
    }

    @Test
    void anOutageLongerThanTheWindowFailsTheRunInOneLineAndResumeFinishesIt() throws Exception {
        Registry registry = start(Duration.ofSeconds(2));
        EmbeddedServerControl server = new EmbeddedServerControl(dir.resolve("postgres"));
        CompletableFuture<PipelineRunner.RunResult> run = runUntilItTrains();

        server.stop();
        PipelineRunner.RunResult result = run.get(5, TimeUnit.MINUTES); // the server stays away until the run gives up
        server.start();

        assertThat(result.failure())
                .startsWith("train: run store: cannot reach embedded PostgreSQL at " + dir.resolve("postgres"))
                .doesNotContain("\n");
        Await.until("the sweep to find the run abandoned", Duration.ofSeconds(30), () -> !registry.runs()
                .failAbandoned(Duration.ofSeconds(1))
                .isEmpty());
        PipelineRunner.RunResult resumed = runner.resume(result.runId(), false);
        assertThat(resumed.failure()).isNull();
        assertThat(registry.runQueries()
                        .detail(result.runId())
                        .orElseThrow()
                        .run()
                        .status())
                .isEqualTo(RunStatus.SUCCEEDED);
        assertThat(count("select count(*) from model_versions")).isEqualTo(1);
    }

    /** Starts a run in the background and returns once its train stage is running. */
    private CompletableFuture<PipelineRunner.RunResult> runUntilItTrains() throws IOException {
        PipelineSpec spec = longerTraining();
        CompletableFuture<PipelineRunner.RunResult> run =
                CompletableFuture.supplyAsync(() -> runner.run(spec, "test", false));
        Await.until(
                "the train stage to start",
                Duration.ofMinutes(2),
                () -> count("select count(*) from stage_runs where stage = 'train' and status = 'RUNNING'") == 1);
        return run;
    }

    /** A query on a connection of its own, outside the pool under test. */
    private long count(String sql) {
        String url = "jdbc:postgresql://localhost:" + port() + "/postgres";
        try (Connection connection = DriverManager.getConnection(url, "postgres", password());
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private String password() {
        try {
            return Files.readString(dir.resolve("postgres.password")).strip();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private int port() {
        try {
            return Integer.parseInt(Files.readAllLines(dir.resolve("postgres/postmaster.pid"))
                    .get(3)
                    .trim());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
