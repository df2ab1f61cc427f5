package dev.caravan.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.registry.Records.Artifact;
import dev.caravan.registry.Records.Dataset;
import dev.caravan.registry.Records.ModelVersionDraft;
import dev.caravan.registry.Records.Products;
import dev.caravan.registry.Records.RunDetail;
import dev.caravan.registry.Records.StageOutcome;
import dev.caravan.testing.ModelRuns;
import dev.caravan.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RunStoreTest {
    private static final String SHA = "a".repeat(64);

    private final TestDatabase db = TestDatabase.create();
    private final RunStore store = db.store();

    @AfterEach
    void close() {
        db.close();
    }

    private UUID newRun() {
        UUID id = UUID.randomUUID();
        store.startRun(id, "p", "test", "{\"k\":1}", "/tmp/x", Map.of());
        return id;
    }

    @Test
    void recordsAStageWithItsArtifactsAndDataset() {
        UUID run = newRun();
        long stage = store.startStage(run, "ingest");
        store.finishStage(run, new StageOutcome(stage, null, 10L, "{\"rows\":10}",
                List.of(new Artifact("profile", "/tmp/x/p.json", SHA, 12)),
                Products.NONE.withDataset(new Dataset("/data.csv", SHA, 100, 10, 3, "[]", "[]"))));
        store.finishRun(run);

        RunDetail detail = store.findRun(run.toString()).orElseThrow();
        assertThat(detail.run().status()).isEqualTo("SUCCEEDED");
        assertThat(detail.stages()).singleElement().satisfies(s -> {
            assertThat(s.status()).isEqualTo("SUCCEEDED");
            assertThat(s.rowsOut()).isEqualTo(10L);
            assertThat(s.metricsJson()).contains("\"rows\": 10");
        });
        assertThat(detail.dataset().rows()).isEqualTo(10);
        assertThat(detail.artifacts()).singleElement().satisfies(a -> assertThat(a.stage()).isEqualTo("ingest"));
    }

    @Test
    void aStageOutcomeIsAllOrNothing() {
        UUID run = newRun();
        long stage = store.startStage(run, "transform");
        StageOutcome broken = new StageOutcome(stage, 1L, 1L, "{}",
                List.of(new Artifact("ok", "/a", SHA, 1), new Artifact("bad", "/b", "not-a-sha-of-64-chars".repeat(4), 1)),
                Products.NONE);

        assertThatThrownBy(() -> store.finishStage(run, broken)).isInstanceOf(IllegalStateException.class);

        RunDetail detail = store.findRun(run.toString()).orElseThrow();
        assertThat(detail.stages().get(0).status()).isEqualTo("RUNNING");
        assertThat(detail.artifacts()).isEmpty();
    }

    @Test
    void aFailedRunNamesItsStageAndCause() {
        UUID run = newRun();
        long stage = store.startStage(run, "clean");
        store.failRun(run, stage, "clean", "data.csv line 3: boom");

        RunDetail detail = store.findRun(run.toString()).orElseThrow();
        assertThat(detail.run().status()).isEqualTo("FAILED");
        assertThat(detail.run().failedStage()).isEqualTo("clean");
        assertThat(detail.run().error()).isEqualTo("data.csv line 3: boom");
        assertThat(detail.stages().get(0).status()).isEqualTo("FAILED");
        assertThat(detail.stages().get(0).error()).isEqualTo("data.csv line 3: boom");
    }

    @Test
    void repeatedStagesGetTheNextAttempt() {
        UUID run = newRun();
        store.startStage(run, "ingest");
        store.startStage(run, "ingest");
        assertThat(store.findRun(run.toString()).orElseThrow().stages()).extracting(s -> s.attempt())
                .containsExactly(1, 2);
    }

    @Test
    void findsRunsByUniquePrefix() {
        UUID run = newRun();
        assertThat(store.findRun(run.toString().substring(0, 8))).isPresent();
        assertThat(store.findRun("ffffffff-0000")).isEmpty();
        assertThatThrownBy(() -> store.findRun("x'; drop table pipeline_runs; --"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not a run id");
    }

    @Test
    void listsTheNewestRunsFirst() {
        UUID first = newRun();
        UUID second = newRun();
        assertThat(store.listRuns(10)).extracting(r -> r.id()).containsExactly(second, first);
        assertThat(store.listRuns(1)).hasSize(1);
    }

    /** Registers a model version the way the select stage does: after a transform artifact, with a model one. */
    private int registerVersion(String model) {
        UUID run = newRun();
        long transform = store.startStage(run, "transform");
        store.finishStage(run, new StageOutcome(transform, 1L, 1L, "{}",
                List.of(new Artifact("transform", "/t.json", SHA, 1)), Products.NONE));
        long select = store.startStage(run, "select");
        Integer version = store.finishStage(run, new StageOutcome(select, 1L, 1L, "{}",
                List.of(new Artifact("model", "/m.params", SHA, 1)), Products.NONE.withModelVersion(new ModelVersionDraft(
                        model, 0, SHA, "model", "{\"r2\": 0.9}", "{\"r2\": 0}", "{}", 3, 5, "patience exhausted",
                        "cpu"))));
        return version;
    }

    @Test
    void modelVersionsCountUpPerNameEvenUnderConcurrentRuns() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> versions = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                versions.add(pool.submit(() -> registerVersion("churn")));
            }
            List<Integer> assigned = new ArrayList<>();
            for (Future<Integer> version : versions) {
                assigned.add(version.get());
            }
            assertThat(assigned).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7, 8);
        } finally {
            pool.shutdown();
        }
        assertThat(registerVersion("other")).isEqualTo(1);
        assertThat(db.count("select count(*) from model_versions where params_artifact_id is not null"
                + " and transform_artifact_id is not null")).isEqualTo(9);
    }

    @Test
    void everyForeignKeyIsIndexed() {
        long unindexed = db.count("""
                select count(*) from pg_constraint c
                where c.contype = 'f' and not exists (
                    select 1 from pg_index i
                    where i.indrelid = c.conrelid and (i.indkey::int2[])[0] = c.conkey[1])""");
        assertThat(unindexed).isZero();
    }

    @Test
    void aRunThatEndedRecordsNoMoreStagesAndKeepsItsRecord() {
        UUID run = newRun();
        long stage = store.startStage(run, "train");
        store.failRun(run, stage, "train", "caravan server stopped after waiting 60 s");

        StageOutcome late = new StageOutcome(stage, 1L, 1L, "{}", List.of(new Artifact("model", "/m", SHA, 1)),
                Products.NONE);
        assertThatThrownBy(() -> store.finishStage(run, late)).isInstanceOf(RunNotRunningException.class)
                .hasMessageContaining("is FAILED, no longer RUNNING");
        assertThatThrownBy(() -> store.startStage(run, "select")).isInstanceOf(RunNotRunningException.class);
        store.failRun(run, stage, "train", "a later failure");
        store.finishRun(run);

        RunDetail detail = store.findRun(run.toString()).orElseThrow();
        assertThat(detail.run().status()).isEqualTo("FAILED");
        assertThat(detail.run().error()).isEqualTo("caravan server stopped after waiting 60 s");
        assertThat(detail.stages()).singleElement().satisfies(s -> assertThat(s.status()).isEqualTo("FAILED"));
        assertThat(detail.artifacts()).isEmpty();
    }

    @Test
    void aStaleHeartbeatIsAbandonedOnlyWhenNoProcessHoldsThePipelinesLock() {
        UUID run = newRun();
        store.startStage(run, "train");
        db.count("with stale as (update pipeline_runs set heartbeat_at = now() - interval '1 hour' returning 1)"
                + " select count(*) from stale");

        try (PipelineLock alive = store.tryLockPipeline("p").orElseThrow()) {
            assertThat(store.failAbandonedRuns(java.time.Duration.ofSeconds(1))).as("its process is alive").isEmpty();
        }
        assertThat(store.failAbandonedRuns(java.time.Duration.ofSeconds(1))).containsExactly(run);

        RunDetail detail = store.findRun(run.toString()).orElseThrow();
        assertThat(detail.run().status()).isEqualTo("FAILED");
        assertThat(detail.run().failedStage()).isEqualTo("train");
        assertThat(detail.run().error()).startsWith("abandoned: no heartbeat since ").contains("caravan resume " + run);
    }

    @Test
    void aBlessingComparedWithAChampionThatMovedMeanwhileIsNotBlessed() {
        ModelRuns runs = new ModelRuns(store);
        runs.register("m", 0.80, ModelRuns.blessed(0.80, null, null, "champion"), null);
        runs.register("m", 0.85, null, null);
        new ModelRegistry(db.database().dataSource()).promote("m:2", "champion", true, "alice", "hotfix");

        runs.register("m", 0.90, ModelRuns.blessed(0.90, 1, 0.80, "champion"), null); // compared with version 1

        assertThat(db.count("select v.version from model_aliases a join model_versions v on v.id = a.model_version_id"
                + " where a.alias = 'champion'")).isEqualTo(2);
        assertThat(db.text("select reason from model_blessings b join model_versions v on v.id = b.model_version_id"
                + " where v.version = 3 and not b.blessed")).isEqualTo("not blessed: champion moved to version 2 while"
                        + " this version was compared with version 1; run again to compare with the new champion");
    }
}
