package dev.caravan.testing;

import dev.caravan.registry.Artifact;
import dev.caravan.registry.Jdbc;
import dev.caravan.registry.Products;
import dev.caravan.registry.Registry;
import dev.caravan.registry.StageOutcome;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Runs for registry query tests, recorded through the run store as a pipeline would: tags at the start, the
 * select stage's metrics, params and (optionally) model version, then the outcome. The start time is set, so
 * that "newest first" is known.
 */
public final class SeededRuns {
    private static final String SHA = "a".repeat(64);

    private final Registry registry;
    private final Jdbc jdbc;

    public SeededRuns(TestDatabase db) {
        this.registry = db.registry();
        this.jdbc = db.database().jdbc();
    }

    /** A run of {@code pipeline} started at {@code startedAt}; {@code model} null registers no model version. */
    public UUID run(
            String pipeline,
            String status,
            Instant startedAt,
            Map<String, Double> metrics,
            Map<String, String> params,
            Map<String, String> tags,
            String model) {
        UUID id = UUID.randomUUID();
        registry.runs().start(id, pipeline, "test", "{}", "/tmp/" + id, tags);
        long stage = registry.stages().start(id, "select", null);
        Products products = Products.NONE.withRunLog(new Products.RunLog(metrics, params));
        if (model != null) {
            products = products.withModelVersion(
                    new Products.Version(model, 0, SHA, "{}", "{}", "{}", 1, 1, "patience exhausted", "cpu"));
        }
        registry.stages()
                .finish(
                        id,
                        new StageOutcome(
                                stage,
                                null,
                                null,
                                "{}",
                                List.of(
                                        new Artifact("transform", "/tmp/t.json", SHA, 1),
                                        new Artifact("model", "/tmp/m.params", SHA, 1)),
                                products));
        switch (status) {
            case "SUCCEEDED" -> registry.runs().finish(id);
            case "FAILED" -> registry.runs().fail(id, null, "train", "boom");
            default -> {} // still RUNNING
        }
        jdbc.write(
                tx -> tx.update("update pipeline_runs set started_at = ? where id = ?", Timestamp.from(startedAt), id));
        return id;
    }
}
