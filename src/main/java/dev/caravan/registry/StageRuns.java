package dev.caravan.registry;

import dev.caravan.registry.Jdbc.Tx;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A stage run in the run store: opened RUNNING as the next attempt of its stage, then finished with everything it
 * made (artifacts and {@link Products}) in one transaction, or nothing at all.
 */
public final class StageRuns {
    private final Jdbc jdbc;

    StageRuns(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * A stage row in RUNNING state, as the next attempt of that stage in this run; returns its id.
     *
     * @param cacheKey the step cache's key for this stage, or null when it is never cached
     */
    public long start(UUID runId, String stage, String cacheKey) {
        return jdbc.write(tx -> {
            Runs.requireRunning(tx, runId);
            long id = tx.one(
                    "insert into stage_runs (run_id, stage, attempt, status, cache_key) values (?, ?,"
                            + " (select coalesce(max(attempt), 0) + 1 from stage_runs where run_id = ? and stage = ?),"
                            + " 'RUNNING', ?) returning id",
                    row -> row.getLong(1),
                    runId,
                    stage,
                    runId,
                    stage,
                    cacheKey);
            Runs.touch(tx, runId);
            return id;
        });
    }

    /**
     * Marks a stage SUCCEEDED with its counts and metrics, and records what it made (artifacts, dataset,
     * candidates, model version...), atomically. Returns the registered model version number, or null.
     */
    public Integer finish(UUID runId, StageOutcome outcome) {
        return jdbc.write(tx -> {
            Runs.requireRunning(tx, runId);
            long stageRunId = outcome.stageRunId();
            tx.update(
                    "update stage_runs set status = 'SUCCEEDED', finished_at = now(), rows_in = ?, rows_out = ?,"
                            + " metrics = ?::jsonb where id = ?",
                    outcome.rowsIn(),
                    outcome.rowsOut(),
                    outcome.metricsJson(),
                    stageRunId);
            List<Object[]> artifacts = new ArrayList<>();
            for (Artifact artifact : outcome.artifacts()) {
                artifacts.add(new Object[] {
                    runId, stageRunId, artifact.kind(), artifact.path(), artifact.sha256(), artifact.bytes()
                });
            }
            tx.batch(
                    "insert into artifacts (run_id, stage_run_id, kind, path, sha256, bytes)"
                            + " values (?, ?, ?, ?, ?, ?)",
                    artifacts);
            Integer version = recordProducts(tx, runId, stageRunId, outcome.products());
            Runs.touch(tx, runId);
            return version;
        });
    }

    private static Integer recordProducts(Tx tx, UUID runId, long stageRunId, Products products) throws SQLException {
        for (Products.Candidate candidate : products.candidates()) {
            insertCandidate(tx, runId, stageRunId, candidate);
        }
        Products.Dataset dataset = products.dataset();
        if (dataset != null) {
            tx.update(
                    "insert into datasets (run_id, stage_run_id, source, sha256, bytes, row_count, column_count,"
                            + " schema, column_stats) values (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb)",
                    runId,
                    stageRunId,
                    dataset.source(),
                    dataset.sha256(),
                    dataset.bytes(),
                    dataset.rows(),
                    dataset.columns(),
                    dataset.schemaJson(),
                    dataset.columnStatsJson());
        }
        Integer version = products.modelVersion() == null
                ? null
                : ModelVersions.register(tx, runId, stageRunId, products.modelVersion());
        if (products.runLog() != null) {
            insertRunLog(tx, runId, products.runLog());
        }
        if (products.export() != null) {
            insertExport(tx, runId, stageRunId, products.export());
        }
        if (products.blessing() != null) {
            ModelVersions.bless(tx, runId, stageRunId, products.blessing());
        }
        if (products.deployment() != null) {
            Products.Deployment deployment = products.deployment();
            tx.update(
                    "insert into deployments (model_version_id, run_id, stage_run_id, target, image, digest,"
                            + " image_id, tar_file, status) values ((select id from model_versions where run_id = ?"
                            + " order by id desc limit 1), ?, ?, ?, ?, ?, ?, ?, ?)",
                    runId,
                    runId,
                    stageRunId,
                    deployment.target(),
                    deployment.image(),
                    deployment.digest(),
                    deployment.imageId(),
                    deployment.tarFile(),
                    deployment.status());
        }
        return version;
    }

    private static void insertCandidate(Tx tx, UUID runId, long stageRunId, Products.Candidate candidate)
            throws SQLException {
        long candidateId = tx.one(
                "insert into training_candidates (run_id, stage_run_id, candidate, params, usable,"
                        + " best_epoch, stopped_epoch, stop_reason, best_validation_loss, best_validation_metric, device,"
                        + " seconds, rungs) values (?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb) returning id",
                row -> row.getLong(1),
                runId,
                stageRunId,
                candidate.index(),
                candidate.paramsJson(),
                candidate.usable(),
                candidate.bestEpoch(),
                candidate.stoppedEpoch(),
                candidate.stopReason(),
                candidate.bestValidationLoss(),
                candidate.bestValidationMetric(),
                candidate.device(),
                candidate.seconds(),
                candidate.rungsJson());
        List<Object[]> epochs = new ArrayList<>();
        for (Products.Epoch epoch : candidate.epochs()) {
            epochs.add(new Object[] {
                candidateId,
                epoch.epoch(),
                epoch.trainLoss(),
                epoch.validationLoss(),
                epoch.validationMetric(),
                epoch.learningRate(),
                epoch.seconds()
            });
        }
        tx.batch(
                "insert into training_epochs (candidate_id, epoch, train_loss, validation_loss, validation_metric,"
                        + " learning_rate, seconds) values (?, ?, ?, ?, ?, ?, ?)",
                epochs);
    }

    /** Every metric is kept, NaN and infinities too (flagged not finite), so that a diverged run can be found. */
    private static void insertRunLog(Tx tx, UUID runId, Products.RunLog log) throws SQLException {
        List<Object[]> metrics = new ArrayList<>();
        log.metrics().forEach((key, value) -> metrics.add(new Object[] {runId, key, value}));
        tx.batch(
                "insert into run_metrics (run_id, key, value) values (?, ?, ?)"
                        + " on conflict (run_id, key) do update set value = excluded.value",
                metrics);
        List<Object[]> params = new ArrayList<>();
        log.params().forEach((key, value) -> params.add(new Object[] {runId, key, value}));
        tx.batch(
                "insert into run_params (run_id, key, value) values (?, ?, ?)"
                        + " on conflict (run_id, key) do update set value = excluded.value",
                params);
    }

    private static void insertExport(Tx tx, UUID runId, long stageRunId, Products.Export export) throws SQLException {
        tx.update(
                "insert into model_exports (model_version_id, run_id, stage_run_id, fp32_artifact_id,"
                        + " int8_artifact_id, fp32, int8, chosen, reason) values ("
                        + " (select id from model_versions where run_id = ? order by id desc limit 1), ?, ?,"
                        + " (select id from artifacts where run_id = ? and kind = ? order by id desc limit 1),"
                        + " (select id from artifacts where stage_run_id = ? and kind = ? order by id desc limit 1),"
                        + " ?::jsonb, ?::jsonb, ?, ?)",
                runId,
                runId,
                stageRunId,
                runId,
                Artifact.ONNX_FP32,
                stageRunId,
                Artifact.ONNX_INT8,
                export.fp32Json(),
                export.int8Json(),
                export.chosen(),
                export.reason());
    }
}
