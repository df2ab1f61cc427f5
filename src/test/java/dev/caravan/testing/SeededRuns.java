package dev.caravan.testing;

import dev.caravan.registry.Records.Artifact;
import dev.caravan.registry.Records.ModelVersionDraft;
import dev.caravan.registry.Records.Products;
import dev.caravan.registry.Records.RunLog;
import dev.caravan.registry.Records.StageOutcome;
import dev.caravan.registry.RunStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Runs for registry query tests, recorded through the run store as a pipeline would: tags at the start, the
 * select stage's metrics, params and (optionally) model version, then the outcome. The start time is set, so
 * that "newest first" is known.
 */
public final class SeededRuns {
    private static final String SHA = "a".repeat(64);

    private final RunStore store;
    private final DataSource dataSource;

    public SeededRuns(TestDatabase db) {
        this.store = db.store();
        this.dataSource = db.database().dataSource();
    }

    /** A run of {@code pipeline} started at {@code startedAt}; {@code model} null registers no model version. */
    public UUID run(String pipeline, String status, Instant startedAt, Map<String, Double> metrics,
            Map<String, String> params, Map<String, String> tags, String model) {
        UUID id = UUID.randomUUID();
        store.startRun(id, pipeline, "test", "{}", "/tmp/" + id, tags);
        long stage = store.startStage(id, "select");
        Products products = Products.NONE.withRunLog(new RunLog(metrics, params));
        if (model != null) {
            products = products.withModelVersion(new ModelVersionDraft(model, 0, SHA, "model", "{}", "{}", "{}", 1,
                    1, "patience exhausted", "cpu"));
        }
        store.finishStage(id, new StageOutcome(stage, null, null, "{}", List.of(
                new Artifact("transform", "/tmp/t.json", SHA, 1), new Artifact("model", "/tmp/m.params", SHA, 1)),
                products));
        switch (status) {
            case "SUCCEEDED" -> store.finishRun(id);
            case "FAILED" -> store.failRun(id, null, "train", "boom");
            default -> { } // still RUNNING
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement(
                        "update pipeline_runs set started_at = ? where id = ?")) {
            update.setTimestamp(1, Timestamp.from(startedAt));
            update.setObject(2, id);
            update.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return id;
    }
}
