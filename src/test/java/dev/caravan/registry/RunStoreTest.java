package dev.caravan.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.data.CaravanException;
import dev.caravan.registry.entity.RunDetail;
import dev.caravan.registry.entity.RunStatus;
import dev.caravan.testing.ModelRuns;
import dev.caravan.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RunStoreTest {
    private static final String SHA = "a".repeat(64);

    private final TestDatabase db = TestDatabase.create();
    private final Registry registry = db.registry();

    @AfterEach
    void close() {
        db.close();
    }

    private UUID newRun() {
        UUID id = UUID.randomUUID();
        registry.runs().start(id, "p", "test", "{\"k\":1}", "/tmp/x", Map.of());
        return id;
    }

    private long startStage(UUID run, String stage) {
        return registry.stages().start(run, stage, null);
    }

    private RunDetail detail(UUID run) {
        return registry.runQueries().detail(run).orElseThrow();
    }

    @Test
    void recordsAStageWithItsArtifactsAndDataset() {
        UUID run = newRun();
        long stage = startStage(run, "ingest");
        registry.stages()
                .finish(
                        run,
                        new StageOutcome(
                                stage,
                                null,
                                10L,
                                "{\"rows\":10}",
                                List.of(new Artifact("profile", "/tmp/x/p.json", SHA, 12)),
                                Products.NONE.withDataset(
                                        new Products.Dataset("/data.csv", SHA, 100, 10, 3, "[]", "[]"))));
        registry.runs().finish(run);

        RunDetail detail = detail(run);
        assertThat(detail.run().status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(detail.stages()).singleElement().satisfies(s -> {
            assertThat(s.status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(s.rowsOut()).isEqualTo(10L);
            assertThat(s.metrics().get("rows").asInt()).isEqualTo(10);
        });
        assertThat(detail.dataset().rows()).isEqualTo(10);
        assertThat(detail.artifacts()).singleElement().satisfies(a -> assertThat(a.stage())
                .isEqualTo("ingest"));
    }

    @Test
    void aStageOutcomeIsAllOrNothing() {
        UUID run = newRun();
        long stage = startStage(run, "transform");
        StageOutcome broken = new StageOutcome(
                stage,
                1L,
                1L,
                "{}",
                List.of(
                        new Artifact("ok", "/a", SHA, 1),
                        new Artifact("bad", "/b", "not-a-sha-of-64-chars".repeat(4), 1)),
                Products.NONE);

        assertThatThrownBy(() -> registry.stages().finish(run, broken)).isInstanceOf(CaravanException.class);

        RunDetail detail = detail(run);
        assertThat(detail.stages().get(0).status()).isEqualTo(RunStatus.RUNNING);
        assertThat(detail.artifacts()).isEmpty();
    }

    @Test
    void aFailedRunNamesItsStageAndCause() {
        UUID run = newRun();
        long stage = startStage(run, "clean");
        registry.runs().fail(run, stage, "clean", "data.csv line 3: boom");

        RunDetail detail = detail(run);
        assertThat(detail.run().status()).isEqualTo(RunStatus.FAILED);
        assertThat(detail.run().failedStage()).isEqualTo("clean");
        assertThat(detail.run().error()).isEqualTo("data.csv line 3: boom");
        assertThat(detail.stages().get(0).status()).isEqualTo(RunStatus.FAILED);
        assertThat(detail.stages().get(0).error()).isEqualTo("data.csv line 3: boom");
    }

    @Test
    void repeatedStagesGetTheNextAttempt() {
        UUID run = newRun();
        startStage(run, "ingest");
        startStage(run, "ingest");
        assertThat(detail(run).stages()).extracting(s -> s.attempt()).containsExactly(1, 2);
    }

    @Test
    void findsRunsByUniquePrefix() {
        UUID run = newRun();
        assertThat(registry.runQueries().resolve(run.toString().substring(0, 8)))
                .contains(run);
        assertThat(registry.runQueries().resolve("ffffffff-0000")).isEmpty();
        assertThatThrownBy(() -> registry.runQueries().resolve("x'; drop table pipeline_runs; --"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a run id");
    }

    @Test
    void listsTheNewestRunsFirst() {
        UUID first = newRun();
        UUID second = newRun();
        assertThat(registry.runQueries().search(null, List.of(), 10, 0).runs())
                .extracting(r -> r.runId())
                .containsExactly(second, first);
        assertThat(registry.runQueries().search(null, List.of(), 1, 0).runs()).hasSize(1);
    }

    /** Registers a model version the way the select stage does: after a transform artifact, with a model one. */
    private int registerVersion(String model) {
        UUID run = newRun();
        long transform = startStage(run, "transform");
        registry.stages()
                .finish(
                        run,
                        new StageOutcome(
                                transform,
                                1L,
                                1L,
                                "{}",
                                List.of(new Artifact("transform", "/t.json", SHA, 1)),
                                Products.NONE));
        long select = startStage(run, "select");
        Integer version = registry.stages()
                .finish(
                        run,
                        new StageOutcome(
                                select,
                                1L,
                                1L,
                                "{}",
                                List.of(new Artifact("model", "/m.params", SHA, 1)),
                                Products.NONE.withModelVersion(new Products.Version(
                                        model,
                                        0,
                                        SHA,
                                        "{\"r2\": 0.9}",
                                        "{\"r2\": 0}",
                                        "{}",
                                        3,
                                        5,
                                        "patience exhausted",
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
                        + " and transform_artifact_id is not null"))
                .isEqualTo(9);
    }

    @Test
    void everyForeignKeyIsIndexed() {
        long unindexed = db.count(
                """
                select count(*) from pg_constraint c
                where c.contype = 'f' and not exists (
                    select 1 from pg_index i
                    where i.indrelid = c.conrelid and (i.indkey::int2[])[0] = c.conkey[1])""");
        assertThat(unindexed).isZero();
    }

    @Test
    void aRunThatEndedRecordsNoMoreStagesAndKeepsItsRecord() {
        UUID run = newRun();
        long stage = startStage(run, "train");
        registry.runs().fail(run, stage, "train", "caravan server stopped after waiting 60 s");

        StageOutcome late =
                new StageOutcome(stage, 1L, 1L, "{}", List.of(new Artifact("model", "/m", SHA, 1)), Products.NONE);
        assertThatThrownBy(() -> registry.stages().finish(run, late))
                .isInstanceOf(CaravanException.class)
                .hasMessageContaining("is FAILED, no longer RUNNING")
                .extracting(e -> ((CaravanException) e).kind())
                .isEqualTo(CaravanException.Kind.BUSY);
        assertThatThrownBy(() -> startStage(run, "select")).isInstanceOf(CaravanException.class);
        registry.runs().fail(run, stage, "train", "a later failure");
        registry.runs().finish(run);

        RunDetail detail = detail(run);
        assertThat(detail.run().status()).isEqualTo(RunStatus.FAILED);
        assertThat(detail.run().error()).isEqualTo("caravan server stopped after waiting 60 s");
        assertThat(detail.stages()).singleElement().satisfies(s -> assertThat(s.status())
                .isEqualTo(RunStatus.FAILED));
        assertThat(detail.artifacts()).isEmpty();
    }

    @Test
    void aStaleHeartbeatIsAbandonedOnlyWhenNoProcessHoldsThePipelinesLock() {
        UUID run = newRun();
        startStage(run, "train");
        db.count("with stale as (update pipeline_runs set heartbeat_at = now() - interval '1 hour' returning 1)"
                + " select count(*) from stale");

        try (PipelineLock alive = registry.runs().tryLock("p").orElseThrow()) {
            assertThat(registry.runs().failAbandoned(Duration.ofSeconds(1)))
                    .as("its process is alive")
                    .isEmpty();
        }
        assertThat(registry.runs().failAbandoned(Duration.ofSeconds(1), Set.of(run)))
                .as("the calling process runs it: alive, though its lock went with a database restart")
                .isEmpty();
        assertThat(registry.runs().failAbandoned(Duration.ofSeconds(1))).containsExactly(run);

        RunDetail detail = detail(run);
        assertThat(detail.run().status()).isEqualTo(RunStatus.FAILED);
        assertThat(detail.run().failedStage()).isEqualTo("train");
        assertThat(detail.run().error())
                .startsWith("abandoned: no heartbeat since ")
                .contains("caravan resume " + run);
    }

    @Test
    void aBlessingComparedWithAChampionThatMovedMeanwhileIsNotBlessed() {
        ModelRuns runs = new ModelRuns(registry);
        runs.register("m", 0.80, ModelRuns.blessed(0.80, null, null, "champion"), null);
        runs.register("m", 0.85, null, null);
        registry.versions().promote("m:2", "champion", true, "alice", "hotfix");

        runs.register("m", 0.90, ModelRuns.blessed(0.90, 1, 0.80, "champion"), null); // compared with version 1

        assertThat(db.count("select v.version from model_aliases a join model_versions v on v.id = a.model_version_id"
                        + " where a.alias = 'champion'"))
                .isEqualTo(2);
        assertThat(db.text("select reason from model_blessings b join model_versions v on v.id = b.model_version_id"
                        + " where v.version = 3 and not b.blessed"))
                .isEqualTo("not blessed: champion moved to version 2 while"
                        + " this version was compared with version 1; run again to compare with the new champion");
    }
}
