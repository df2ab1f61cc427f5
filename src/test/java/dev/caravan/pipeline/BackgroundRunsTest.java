package dev.caravan.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.data.CaravanException;
import dev.caravan.registry.PipelineLock;
import dev.caravan.registry.Runs;
import dev.caravan.registry.entity.Run;
import dev.caravan.registry.entity.RunStatus;
import dev.caravan.spec.PipelineCatalog;
import dev.caravan.spec.PipelineSpec;
import dev.caravan.testing.Await;
import dev.caravan.testing.TestDatabase;
import dev.caravan.testing.TinyPipeline;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Background runs: busy and stopped answers record nothing; a run cut off by the stop is recorded as FAILED. */
class BackgroundRunsTest {
    @TempDir
    Path dir;

    private TestDatabase db;
    private PipelineRunner runner;
    private PipelineSpec spec;

    @BeforeEach
    void setUp() {
        db = TestDatabase.create();
        runner = PipelineRunner.start(db.registry(), dir.resolve("runs"), Duration.ofSeconds(60));
        spec = PipelineCatalog.load(List.of(TinyPipeline.write(dir, "tiny")), null)
                .find("tiny")
                .orElseThrow()
                .spec();
    }

    @AfterEach
    void tearDown() {
        runner.close();
        db.close();
    }

    @Test
    void aBusyPipelineOrAStoppedServerStartsAndRecordsNothing() {
        BackgroundRuns runs = new BackgroundRuns(runner, Duration.ofMinutes(1));
        try (PipelineLock held = db.registry().runs().tryLock("tiny").orElseThrow()) {
            assertThatThrownBy(() -> runs.start(spec, "test"))
                    .isInstanceOf(CaravanException.class)
                    .extracting(e -> ((CaravanException) e).kind())
                    .isEqualTo(CaravanException.Kind.BUSY);
        }
        runs.close();

        assertThatThrownBy(() -> runs.start(spec, "test"))
                .isInstanceOf(CaravanException.class)
                .hasMessageContaining("shutting down");
        assertThat(db.count("select count(*) from pipeline_runs")).isZero();
    }

    @Test
    void aRunStillGoingWhenTheDrainEndsIsRecordedAsFailedAndStaysSo() {
        BackgroundRuns runs = new BackgroundRuns(runner, Duration.ZERO);
        UUID runId = runs.start(spec, "test");

        runs.close();

        assertThat(run(runId).status()).isEqualTo(RunStatus.FAILED);
        assertThat(run(runId).error()).isEqualTo("caravan server stopped after waiting 0 s for the run to finish");
        Await.until("the run's thread to let go of the pipeline", Duration.ofMinutes(3), () -> {
            Optional<PipelineLock> lock = db.registry().runs().tryLock("tiny");
            lock.ifPresent(PipelineLock::close);
            return lock.isPresent();
        });
        assertThat(run(runId).status())
                .as("the run's own end does not overwrite it")
                .isEqualTo(RunStatus.FAILED);
    }

    @Test
    void oneFiringStartsOneRunEvenWhenAnotherServerFiresItAfterTheRunEnded() {
        BackgroundRuns runs = new BackgroundRuns(runner, Duration.ofMinutes(1));
        Instant nominal = Instant.parse("2026-12-02T03:00:00Z");
        UUID first =
                runs.startFiring(spec, new Runs.Firing(nominal, "server-a:1")).orElseThrow();
        Await.until(
                "the first run to end", Duration.ofMinutes(3), () -> run(first).status() != RunStatus.RUNNING);

        Optional<UUID> late = runs.startFiring(spec, new Runs.Firing(nominal, "server-b:1"));
        Optional<UUID> next = runs.startFiring(spec, new Runs.Firing(nominal.plusSeconds(3600), "server-b:1"));
        runs.close();

        assertThat(late)
                .as("the same firing, from a server whose clock is late")
                .isEmpty();
        assertThat(next).as("the next firing").isPresent();
        assertThat(db.count("select count(*) from pipeline_runs")).isEqualTo(2);
        assertThat(db.text("select server from schedule_claims where scheduled_for = '2026-12-02T03:00:00Z'"))
                .isEqualTo("server-a:1");
    }

    private Run run(UUID id) {
        return db.registry().runQueries().detail(id).orElseThrow().run();
    }
}
