package dev.caravan.registry;

import dev.caravan.registry.entity.StoredArtifact;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The step cache in the run store: finds a succeeded stage run with a given key, and records a new stage run as a
 * copy of it.
 */
public final class StepCache {
    private final Jdbc jdbc;

    StepCache(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** A succeeded stage run that may be reused, with the artifacts it recorded. */
    public record CachedStage(long stageRunId, UUID runId, List<StoredArtifact> artifacts) {}

    /** The newest succeeded run of {@code stage} with this cache key, with its artifacts; empty when none. */
    public Optional<CachedStage> find(String stage, String cacheKey) {
        return jdbc.read(tx -> {
            Optional<CachedStage> source = tx.first(
                    "select id, run_id from stage_runs where stage = ?"
                            + " and cache_key = ? and status = 'SUCCEEDED' order by id desc limit 1",
                    row -> new CachedStage(row.getLong(1), row.getObject(2, UUID.class), List.of()),
                    stage,
                    cacheKey);
            if (source.isEmpty()) {
                return source;
            }
            List<StoredArtifact> artifacts = tx.list(
                    Rows.ARTIFACTS + " where a.stage_run_id = ? order by a.id",
                    Rows::artifact,
                    source.get().stageRunId());
            return Optional.of(
                    new CachedStage(source.get().stageRunId(), source.get().runId(), artifacts));
        });
    }

    /**
     * Marks a stage run SUCCEEDED as a copy of an earlier one: its counts and metrics, its artifacts, and what the
     * stage recorded of its own (the dataset of an ingest, the candidates of a train).
     */
    public void reuse(UUID runId, long stageRunId, long sourceStageRunId) {
        jdbc.write(tx -> {
            Runs.requireRunning(tx, runId);
            tx.update(
                    "update stage_runs s set status = 'SUCCEEDED', finished_at = now(), rows_in = source.rows_in,"
                            + " rows_out = source.rows_out, metrics = source.metrics, cached_from = source.id"
                            + " from stage_runs source where s.id = ? and source.id = ?",
                    stageRunId,
                    sourceStageRunId);
            tx.update(
                    "insert into artifacts (run_id, stage_run_id, kind, path, sha256, bytes)"
                            + " select ?, ?, kind, path, sha256, bytes from artifacts where stage_run_id = ? order by id",
                    runId,
                    stageRunId,
                    sourceStageRunId);
            tx.update(
                    "insert into datasets (run_id, stage_run_id, source, sha256, bytes, row_count, column_count,"
                            + " schema, column_stats) select ?, ?, source, sha256, bytes, row_count, column_count, schema,"
                            + " column_stats from datasets where stage_run_id = ? order by id",
                    runId,
                    stageRunId,
                    sourceStageRunId);
            tx.update(
                    "insert into training_candidates (run_id, stage_run_id, candidate, params, usable, best_epoch,"
                            + " stopped_epoch, stop_reason, best_validation_loss, best_validation_metric, device, seconds,"
                            + " rungs) select ?, ?, candidate, params, usable, best_epoch, stopped_epoch, stop_reason,"
                            + " best_validation_loss, best_validation_metric, device, seconds, rungs from"
                            + " training_candidates"
                            + " where stage_run_id = ? order by candidate",
                    runId,
                    stageRunId,
                    sourceStageRunId);
            tx.update(
                    "insert into training_epochs (candidate_id, epoch, train_loss, validation_loss,"
                            + " validation_metric, learning_rate, seconds) select copy.id, e.epoch, e.train_loss,"
                            + " e.validation_loss, e.validation_metric, e.learning_rate, e.seconds from training_epochs e"
                            + " join training_candidates original on original.id = e.candidate_id"
                            + " join training_candidates copy on copy.stage_run_id = ? and copy.candidate = original.candidate"
                            + " where original.stage_run_id = ?",
                    stageRunId,
                    sourceStageRunId);
            Runs.touch(tx, runId);
            return null;
        });
    }
}
