package dev.caravan.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.pipeline.PipelineRunner.RunResult;
import dev.caravan.registry.entity.RunDetail;
import dev.caravan.registry.entity.StageRun;
import dev.caravan.registry.entity.StoredArtifact;
import dev.caravan.spec.PipelineSpec;
import dev.caravan.spec.SpecLoader;
import dev.caravan.testing.Csv;
import dev.caravan.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training draws from each run's own seeded generators: two pipelines that train at the same time in one process
 * (as under caravan server) get, each, bit for bit the weights and metrics the same spec gives alone.
 */
class ConcurrentTrainingTest {
    @TempDir
    Path dir;

    /** A regression pipeline with dropout, on data of its own, that trains for a second or two. */
    private PipelineSpec spec(String name, long dataSeed) {
        SplittableRandom random = new SplittableRandom(dataSeed);
        List<String> rows = new ArrayList<>(List.of("a,b,c,y"));
        for (int i = 0; i < 1500; i++) {
            double a = random.nextDouble(-2, 2);
            double b = random.nextDouble(-2, 2);
            double c = random.nextDouble(-2, 2);
            rows.add(String.format(
                    Locale.ROOT,
                    "%.4f,%.4f,%.4f,%.4f",
                    a,
                    b,
                    c,
                    Math.sin(a) * 3 - b * c + random.nextDouble(-0.1, 0.1)));
        }
        Csv.write(dir, name + ".csv", rows.toArray(String[]::new));
        return SpecLoader.load(Csv.write(
                dir,
                name + ".yaml",
                "name: " + name,
                "data:",
                "  path: " + name + ".csv",
                "target: y",
                "training:",
                "  maxEpochs: 25",
                "  patience: 25",
                "  candidates:",
                "    hidden: [[32, 16]]",
                "    batchSize: [16]",
                "    learningRate: [0.005]",
                "    dropout: [0.2]",
                "quantization:",
                "  enabled: false"));
    }

    @Test
    void twoPipelinesTrainingAtOnceGetWhatEachGetsAlone() throws Exception {
        PipelineSpec first = spec("first", 1);
        PipelineSpec second = spec("second", 2);
        try (TestDatabase db = TestDatabase.create();
                PipelineRunner runner =
                        PipelineRunner.start(db.registry(), dir.resolve("runs"), Duration.ofSeconds(60))) {
            RunDetail firstAlone = detail(db, runner.run(first, "test", false));
            RunDetail secondAlone = detail(db, runner.run(second, "test", false));

            ExecutorService pool = Executors.newFixedThreadPool(2);
            CyclicBarrier together = new CyclicBarrier(2);
            try {
                Future<RunResult> firstRun = pool.submit(() -> {
                    together.await();
                    return runner.run(first, "test", false);
                });
                Future<RunResult> secondRun = pool.submit(() -> {
                    together.await();
                    return runner.run(second, "test", false);
                });
                RunDetail firstTogether = detail(db, firstRun.get(5, TimeUnit.MINUTES));
                RunDetail secondTogether = detail(db, secondRun.get(5, TimeUnit.MINUTES));

                assertThat(overlap(train(firstTogether), train(secondTogether)))
                        .as("the two trainings ran at the same time")
                        .isPositive();
                assertSameTraining(firstTogether, firstAlone);
                assertSameTraining(secondTogether, secondAlone);
                assertThat(firstAlone.run().metrics())
                        .as("the pipelines differ")
                        .isNotEqualTo(secondAlone.run().metrics());
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static RunDetail detail(TestDatabase db, RunResult result) {
        assertThat(result.failure()).isNull();
        return db.registry().runQueries().detail(result.runId()).orElseThrow();
    }

    /** The same weights (the model file's sha256) and the same metrics, to the last bit. */
    private static void assertSameTraining(RunDetail actual, RunDetail expected) {
        assertThat(modelSha256(actual)).isEqualTo(modelSha256(expected));
        assertThat(actual.run().metrics()).isEqualTo(expected.run().metrics());
    }

    private static String modelSha256(RunDetail detail) {
        return detail.artifacts().stream()
                .filter(artifact -> artifact.kind().equals("model"))
                .map(StoredArtifact::sha256)
                .findFirst()
                .orElseThrow();
    }

    private static StageRun train(RunDetail detail) {
        return detail.stages().stream()
                .filter(stage -> stage.name().equals(PipelineStages.TRAIN.name()))
                .findFirst()
                .orElseThrow();
    }

    /** How long two stage runs went on at the same time, in milliseconds (negative when they did not). */
    private static long overlap(StageRun a, StageRun b) {
        long start = Math.max(a.startedAt().toEpochMilli(), b.startedAt().toEpochMilli());
        long end = Math.min(a.finishedAt().toEpochMilli(), b.finishedAt().toEpochMilli());
        return end - start;
    }
}
