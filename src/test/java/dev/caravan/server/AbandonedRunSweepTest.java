package dev.caravan.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.caravan.registry.Registry;
import dev.caravan.registry.entity.RunStatus;
import dev.caravan.spec.PipelineCatalog;
import dev.caravan.testing.Await;
import dev.caravan.testing.TestDatabase;
import dev.caravan.testing.TinyPipeline;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run whose process died while the server runs is found abandoned by the server itself, not at next start. */
class AbandonedRunSweepTest {
    @TempDir
    Path dir;

    @Test
    void theServerMarksADeadRunFailedWhileItRuns() {
        try (TestDatabase db = TestDatabase.create();
                CaravanServer unusedServer = CaravanServer.start(
                        PipelineCatalog.load(List.of(TinyPipeline.write(dir, "tiny")), null),
                        db.database(),
                        new CaravanServer.Settings(
                                "127.0.0.1",
                                0,
                                null,
                                dir.resolve("runs"),
                                Duration.ofSeconds(2),
                                Duration.ofSeconds(5),
                                Duration.ofSeconds(5)))) {
            Registry registry = db.registry();
            UUID dead = UUID.randomUUID();
            registry.runs().start(dead, "elsewhere", "cli", "{}", dir.toString(), Map.of());
            registry.stages().start(dead, "train", null);
            db.count("with stale as (update pipeline_runs set heartbeat_at = now() - interval '1 minute'"
                    + " where id = '" + dead + "' returning 1) select count(*) from stale");

            Await.until(
                    "the sweep",
                    Duration.ofSeconds(30),
                    () -> registry.runQueries().detail(dead).orElseThrow().run().status() == RunStatus.FAILED);
            var run = registry.runQueries().detail(dead).orElseThrow().run();
            assertThat(run.failedStage()).isEqualTo("train");
            assertThat(run.error()).startsWith("abandoned: no heartbeat since ");
        }
    }
}
