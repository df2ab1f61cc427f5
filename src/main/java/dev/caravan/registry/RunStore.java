package dev.caravan.registry;

import dev.caravan.registry.Records.Artifact;
import dev.caravan.registry.Records.Blessing;
import dev.caravan.registry.Records.CachedStage;
import dev.caravan.registry.Records.Candidate;
import dev.caravan.registry.Records.Epoch;
import dev.caravan.registry.Records.ModelExport;
import dev.caravan.registry.Records.ModelVersion;
import dev.caravan.registry.Records.ModelVersionDraft;
import dev.caravan.registry.Records.Products;
import dev.caravan.registry.Records.RunLog;
import dev.caravan.registry.Records.Dataset;
import dev.caravan.registry.Records.DeployableModel;
import dev.caravan.registry.Records.Deployment;
import dev.caravan.registry.Records.Run;
import dev.caravan.registry.Records.RunDetail;
import dev.caravan.registry.Records.StageOutcome;
import dev.caravan.registry.Records.StageRun;
import dev.caravan.registry.Records.StoredArtifact;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/** Records pipeline runs in PostgreSQL. Writes that belong together commit together or not at all. */
public final class RunStore {
    private final DataSource dataSource;

    public RunStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Records run {@code id} in RUNNING state, with its tags. */
    public void startRun(UUID id, String pipeline, String trigger, String configJson, String artifactDir,
            Map<String, String> tags) {
        inTransaction(connection -> {
            execute(connection, "insert into pipeline_runs (id, pipeline, trigger, status, config, artifact_dir)"
                    + " values (?, ?, ?, 'RUNNING', ?::jsonb, ?)", id, pipeline, trigger, configJson, artifactDir);
            for (Map.Entry<String, String> tag : tags.entrySet()) {
                execute(connection, "insert into run_tags (run_id, key, value) values (?, ?, ?)", id, tag.getKey(),
                        tag.getValue());
            }
            return null;
        });
    }

    /**
     * Takes the pipeline's PostgreSQL advisory lock, which holds across processes on this database until the
     * returned lock is closed (or its process dies); empty when another holder has it.
     */
    public Optional<PipelineLock> tryLockPipeline(String pipeline) {
        return PipelineLock.tryAcquire(dataSource, pipeline);
    }

    /** A stage row in RUNNING state for a stage that is never cached; returns its id. */
    public long startStage(UUID runId, String stage) {
        return startStage(runId, stage, null);
    }

    /**
     * A stage row in RUNNING state, as the next attempt of that stage in this run; returns its id.
     *
     * @param cacheKey the step cache's key for this stage, or null when it is never cached
     */
    public long startStage(UUID runId, String stage, String cacheKey) {
        return inTransaction(connection -> {
            requireRunning(connection, runId);
            try (PreparedStatement insert = connection.prepareStatement(
                    "insert into stage_runs (run_id, stage, attempt, status, cache_key) values (?, ?,"
                            + " (select coalesce(max(attempt), 0) + 1 from stage_runs where run_id = ? and stage = ?),"
                            + " 'RUNNING', ?) returning id")) {
                bind(insert, runId, stage, runId, stage, cacheKey);
                try (ResultSet rows = insert.executeQuery()) {
                    rows.next();
                    long id = rows.getLong(1);
                    touch(connection, runId);
                    return id;
                }
            }
        });
    }

    /**
     * Marks a stage SUCCEEDED with its counts and metrics, and records what it made (artifacts, dataset,
     * candidates, model version), atomically. Returns the registered model version number, or null.
     */
    public Integer finishStage(UUID runId, StageOutcome outcome) {
        return inTransaction(connection -> {
            requireRunning(connection, runId);
            execute(connection, "update stage_runs set status = 'SUCCEEDED', finished_at = now(), rows_in = ?,"
                    + " rows_out = ?, metrics = ?::jsonb where id = ?",
                    outcome.rowsIn(), outcome.rowsOut(), outcome.metricsJson(), outcome.stageRunId());
            for (Artifact artifact : outcome.artifacts()) {
                execute(connection, "insert into artifacts (run_id, stage_run_id, kind, path, sha256, bytes)"
                        + " values (?, ?, ?, ?, ?, ?)", runId, outcome.stageRunId(), artifact.kind(),
                        artifact.path(), artifact.sha256(), artifact.bytes());
            }
            Products products = outcome.products();
            for (Candidate candidate : products.candidates()) {
                insertCandidate(connection, runId, outcome.stageRunId(), candidate);
            }
            Dataset dataset = products.dataset();
            if (dataset != null) {
                execute(connection, "insert into datasets (run_id, source, sha256, bytes, row_count, column_count,"
                        + " schema, column_stats) values (?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb)", runId,
                        dataset.source(), dataset.sha256(), dataset.bytes(), dataset.rows(), dataset.columns(),
                        dataset.schemaJson(), dataset.columnStatsJson());
            }
            Integer version = products.modelVersion() == null ? null
                    : registerVersion(connection, runId, outcome.stageRunId(), products.modelVersion());
            if (products.runLog() != null) {
                insertRunLog(connection, runId, products.runLog());
            }
            if (products.export() != null) {
                insertExport(connection, runId, outcome.stageRunId(), products.export());
            }
            if (products.blessing() != null) {
                insertBlessing(connection, runId, outcome.stageRunId(), products.blessing());
            }
            if (products.deployment() != null) {
                Deployment deployment = products.deployment();
                execute(connection, "insert into deployments (model_version_id, run_id, stage_run_id, target, image,"
                        + " digest, image_id, tar_file, status) values ((select id from model_versions where run_id = ?"
                        + " order by id desc limit 1), ?, ?, ?, ?, ?, ?, ?, ?)", runId, runId, outcome.stageRunId(),
                        deployment.target(), deployment.image(), deployment.digest(), deployment.imageId(),
                        deployment.tarFile(), deployment.status());
            }
            touch(connection, runId);
            return version;
        });
    }

    private static void insertCandidate(Connection connection, UUID runId, long stageRunId, Candidate candidate)
            throws SQLException {
        long candidateId;
        try (PreparedStatement insert = connection.prepareStatement("insert into training_candidates (run_id,"
                + " stage_run_id, candidate, params, usable, best_epoch, stopped_epoch, stop_reason,"
                + " best_validation_loss, best_validation_metric, device, seconds)"
                + " values (?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?) returning id")) {
            bind(insert, runId, stageRunId, candidate.index(), candidate.paramsJson(), candidate.usable(),
                    candidate.bestEpoch(), candidate.stoppedEpoch(), candidate.stopReason(),
                    candidate.bestValidationLoss(), candidate.bestValidationMetric(), candidate.device(),
                    candidate.seconds());
            try (ResultSet rows = insert.executeQuery()) {
                rows.next();
                candidateId = rows.getLong(1);
            }
        }
        try (PreparedStatement insert = connection.prepareStatement("insert into training_epochs (candidate_id,"
                + " epoch, train_loss, validation_loss, validation_metric, learning_rate, seconds)"
                + " values (?, ?, ?, ?, ?, ?, ?)")) {
            for (Epoch epoch : candidate.epochs()) {
                bind(insert, candidateId, epoch.epoch(), epoch.trainLoss(), epoch.validationLoss(),
                        epoch.validationMetric(), epoch.learningRate(), epoch.seconds());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static void insertRunLog(Connection connection, UUID runId, RunLog log) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("insert into run_metrics (run_id, key, value)"
                + " values (?, ?, ?) on conflict (run_id, key) do update set value = excluded.value")) {
            for (Map.Entry<String, Double> metric : log.metrics().entrySet()) {
                if (Double.isFinite(metric.getValue())) { // NaN and infinities cannot be compared by filters
                    bind(insert, runId, metric.getKey(), metric.getValue());
                    insert.addBatch();
                }
            }
            insert.executeBatch();
        }
        try (PreparedStatement insert = connection.prepareStatement("insert into run_params (run_id, key, value)"
                + " values (?, ?, ?) on conflict (run_id, key) do update set value = excluded.value")) {
            for (Map.Entry<String, String> param : log.params().entrySet()) {
                bind(insert, runId, param.getKey(), param.getValue());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /**
     * Records the gate's decision; a blessed version takes the alias, with a history row naming the run. The model
     * is locked, and a version compared with a champion the alias no longer points at is not blessed.
     */
    private static void insertBlessing(Connection connection, UUID runId, long stageRunId, Blessing decision)
            throws SQLException {
        long versionId;
        String modelName;
        try (PreparedStatement find = connection.prepareStatement("select id, model_name from model_versions"
                + " where run_id = ? order by id desc limit 1")) {
            bind(find, runId);
            try (ResultSet rows = find.executeQuery()) {
                if (!rows.next()) {
                    throw new IllegalStateException("run " + runId + " has no model version to bless");
                }
                versionId = rows.getLong(1);
                modelName = rows.getString(2);
            }
        }
        lockModel(connection, modelName);
        Blessing blessing = championUnmoved(connection, modelName, decision);
        execute(connection, "insert into model_blessings (model_version_id, run_id, stage_run_id, blessed, metric,"
                + " direction, candidate_value, champion_version_id, champion_value, absolute_change,"
                + " relative_change, reason) values (?, ?, ?, ?, ?, ?, ?,"
                + " (select id from model_versions where model_name = ? and version = ?), ?, ?, ?, ?)", versionId,
                runId, stageRunId, blessing.blessed(), blessing.metric(), blessing.direction(),
                blessing.candidateValue(), modelName, blessing.championVersion(), blessing.championValue(),
                blessing.absoluteChange(), blessing.relativeChange(), blessing.reason());
        if (blessing.blessed() && blessing.alias() != null) {
            moveAlias(connection, modelName, blessing.alias(), versionId, "run " + runId, blessing.reason(), false);
        }
    }

    /** The decision, or a refusal when the alias moved (by a promote) while the new version was evaluated. */
    private static Blessing championUnmoved(Connection connection, String modelName, Blessing decision)
            throws SQLException {
        Integer current = null;
        try (PreparedStatement find = connection.prepareStatement("select v.version from model_aliases a"
                + " join model_versions v on v.id = a.model_version_id where a.model_name = ? and a.alias = ?")) {
            bind(find, modelName, decision.alias());
            try (ResultSet rows = find.executeQuery()) {
                current = rows.next() ? rows.getInt(1) : null;
            }
        }
        if (!decision.blessed() || Objects.equals(current, decision.championVersion())) {
            return decision;
        }
        return new Blessing(false, decision.metric(), decision.direction(), decision.candidateValue(),
                decision.championVersion(), decision.championValue(), decision.absoluteChange(),
                decision.relativeChange(), "not blessed: " + decision.alias() + " moved to version " + current
                        + " while this version was compared with version " + decision.championVersion()
                        + "; run again to compare with the new champion", decision.alias());
    }

    /** Whether the run's model version was blessed (false when it was not evaluated). */
    public boolean blessed(UUID runId) {
        return !query("select 1 from model_blessings b join model_versions v on v.id = b.model_version_id"
                + " where v.run_id = ? and b.blessed", row -> true, runId).isEmpty();
    }

    /** Points the alias at the version and appends the move to the alias history, in the caller's transaction. */
    static void moveAlias(Connection connection, String modelName, String alias, long versionId, String movedBy,
            String reason, boolean forced) throws SQLException {
        execute(connection, "insert into model_alias_history (model_name, alias, from_version_id, to_version_id,"
                + " moved_by, reason, forced) values (?, ?, (select model_version_id from model_aliases"
                + " where model_name = ? and alias = ? for update), ?, ?, ?, ?)", modelName, alias, modelName, alias,
                versionId, movedBy, reason, forced);
        execute(connection, "insert into model_aliases (model_name, alias, model_version_id) values (?, ?, ?)"
                + " on conflict (model_name, alias) do update set model_version_id = excluded.model_version_id,"
                + " updated_at = now()", modelName, alias, versionId);
    }

    private static void insertExport(Connection connection, UUID runId, long stageRunId, ModelExport export)
            throws SQLException {
        execute(connection, "insert into model_exports (model_version_id, run_id, stage_run_id, fp32_artifact_id,"
                + " int8_artifact_id, fp32, int8, chosen, reason) values ("
                + " (select id from model_versions where run_id = ? order by id desc limit 1), ?, ?,"
                + " (select id from artifacts where run_id = ? and kind = 'onnx-fp32' order by id desc limit 1),"
                + " (select id from artifacts where stage_run_id = ? and kind = 'onnx-int8' order by id desc limit 1),"
                + " ?::jsonb, ?::jsonb, ?, ?)", runId, runId, stageRunId, runId, stageRunId, export.fp32Json(),
                export.int8Json(), export.chosen(), export.reason());
    }

    /**
     * Locks the model's row for the transaction: version numbering, blessings and alias moves of one model are
     * serialized, so concurrent runs and promotions are recorded one after the other.
     */
    static void lockModel(Connection connection, String modelName) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("select name from models where name = ? for update")) {
            bind(lock, modelName);
            lock.executeQuery().close();
        }
    }

    /**
     * Inserts the next version of a model. Locking the model's row serializes concurrent registrations of one
     * name, so versions stay 1, 2, 3... without gaps or duplicates.
     */
    private static int registerVersion(Connection connection, UUID runId, long stageRunId, ModelVersionDraft draft)
            throws SQLException {
        execute(connection, "insert into models (name) values (?) on conflict do nothing", draft.modelName());
        lockModel(connection, draft.modelName());
        try (PreparedStatement insert = connection.prepareStatement("insert into model_versions (model_name,"
                + " version, run_id, stage_run_id, candidate, dataset_sha256, transform_artifact_id,"
                + " params_artifact_id, metrics, baseline, params, best_epoch, stopped_epoch, stop_reason, device)"
                + " values (?, (select coalesce(max(version), 0) + 1 from model_versions where model_name = ?),"
                + " ?, ?, ?, ?,"
                + " (select id from artifacts where run_id = ? and kind = 'transform' order by id desc limit 1),"
                + " (select id from artifacts where stage_run_id = ? and kind = ? order by id desc limit 1),"
                + " ?::jsonb, ?::jsonb, ?::jsonb, ?, ?, ?, ?) returning version")) {
            bind(insert, draft.modelName(), draft.modelName(), runId, stageRunId, draft.candidate(),
                    draft.datasetSha256(), runId, stageRunId, draft.paramsArtifactKind(), draft.metricsJson(),
                    draft.baselineJson(), draft.paramsJson(), draft.bestEpoch(), draft.stoppedEpoch(),
                    draft.stopReason(), draft.device());
            try (ResultSet rows = insert.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    /** The newest succeeded run of {@code stage} with this cache key, with its artifacts; empty when none. */
    public Optional<CachedStage> findCachedStage(String stage, String cacheKey) {
        return query("select id, run_id from stage_runs where stage = ? and cache_key = ? and status = 'SUCCEEDED'"
                + " order by id desc limit 1", row -> new CachedStage(row.getLong(1), (UUID) row.getObject(2),
                        query("select a.*, s.stage from artifacts a join stage_runs s on s.id = a.stage_run_id"
                                + " where a.stage_run_id = ? order by a.id", RunStore::artifact, row.getLong(1))),
                stage, cacheKey).stream().findFirst();
    }

    /**
     * Marks a stage run SUCCEEDED as a copy of an earlier one (the step cache): its counts and metrics, its
     * artifacts, and what the stage recorded of its own (the dataset of an ingest, the candidates of a train).
     */
    public void reuseStage(UUID runId, long stageRunId, long sourceStageRunId) {
        inTransaction(connection -> {
            requireRunning(connection, runId);
            execute(connection, "update stage_runs s set status = 'SUCCEEDED', finished_at = now(),"
                    + " rows_in = source.rows_in, rows_out = source.rows_out, metrics = source.metrics,"
                    + " cached_from = source.id from stage_runs source where s.id = ? and source.id = ?",
                    stageRunId, sourceStageRunId);
            execute(connection, "insert into artifacts (run_id, stage_run_id, kind, path, sha256, bytes)"
                    + " select ?, ?, kind, path, sha256, bytes from artifacts where stage_run_id = ? order by id",
                    runId, stageRunId, sourceStageRunId);
            execute(connection, "insert into datasets (run_id, source, sha256, bytes, row_count, column_count,"
                    + " schema, column_stats) select ?, d.source, d.sha256, d.bytes, d.row_count, d.column_count,"
                    + " d.schema, d.column_stats from datasets d join stage_runs s on s.run_id = d.run_id"
                    + " where s.id = ? and s.stage = 'ingest'", runId, sourceStageRunId);
            execute(connection, "insert into training_candidates (run_id, stage_run_id, candidate, params, usable,"
                    + " best_epoch, stopped_epoch, stop_reason, best_validation_loss, best_validation_metric, device,"
                    + " seconds) select ?, ?, candidate, params, usable, best_epoch, stopped_epoch, stop_reason,"
                    + " best_validation_loss, best_validation_metric, device, seconds from training_candidates"
                    + " where stage_run_id = ? order by candidate", runId, stageRunId, sourceStageRunId);
            execute(connection, "insert into training_epochs (candidate_id, epoch, train_loss, validation_loss,"
                    + " validation_metric, learning_rate, seconds) select copy.id, e.epoch, e.train_loss,"
                    + " e.validation_loss, e.validation_metric, e.learning_rate, e.seconds from training_epochs e"
                    + " join training_candidates original on original.id = e.candidate_id"
                    + " join training_candidates copy on copy.stage_run_id = ? and copy.candidate = original.candidate"
                    + " where original.stage_run_id = ?", stageRunId, sourceStageRunId);
            touch(connection, runId);
            return null;
        });
    }

    /** Puts a FAILED run back to RUNNING for {@code caravan resume}; false when it is not FAILED. */
    public boolean reopenRun(UUID runId) {
        return inTransaction(connection -> {
            try (PreparedStatement reopen = connection.prepareStatement("update pipeline_runs set status = 'RUNNING',"
                    + " finished_at = null, failed_stage = null, error = null, heartbeat_at = now(),"
                    + " resumed = resumed + 1 where id = ? and status = 'FAILED'")) {
                bind(reopen, runId);
                return reopen.executeUpdate() == 1;
            }
        });
    }

    /**
     * Marks RUNNING runs whose heartbeat is older than {@code timeout} as FAILED ("abandoned"): their process
     * died without recording an end. A run whose pipeline lock is held is alive and left alone. The stage they were in is named as the failed stage. Returns their ids.
     */
    public List<UUID> failAbandonedRuns(Duration timeout) {
        return inTransaction(connection -> {
            List<UUID> abandoned = new ArrayList<>();
            try (PreparedStatement update = connection.prepareStatement("update pipeline_runs r set"
                    + " status = 'FAILED', finished_at = now(),"
                    + " failed_stage = coalesce((select stage from stage_runs s where s.run_id = r.id"
                    + " and s.status = 'RUNNING' order by s.id desc limit 1), 'pipeline'),"
                    + " error = 'abandoned: no heartbeat since ' || to_char(heartbeat_at at time zone 'UTC',"
                    + " 'YYYY-MM-DD HH24:MI:SS') || ' UTC (the process running it died; caravan resume ' || r.id"
                    + " || ' continues it)'"
                    + " where status = 'RUNNING' and heartbeat_at < now() - make_interval(secs => ?)"
                    // a process that holds the pipeline's lock is alive, whatever its heartbeat interval
                    + " and not exists (select 1 from pg_locks l where l.locktype = 'advisory' and l.granted"
                    + " and l.database = (select oid from pg_database where datname = current_database())"
                    + " and l.classid = ?::oid and l.objid = hashtext(r.pipeline)::oid and l.objsubid = 2)"
                    + " returning id, error")) {
                bind(update, (double) timeout.toMillis() / 1000, PipelineLock.NAMESPACE);
                try (ResultSet rows = update.executeQuery()) {
                    while (rows.next()) {
                        UUID id = (UUID) rows.getObject(1);
                        abandoned.add(id);
                        execute(connection, "update stage_runs set status = 'FAILED', finished_at = now(), error = ?"
                                + " where run_id = ? and status = 'RUNNING'", rows.getString(2), id);
                    }
                }
            }
            return abandoned;
        });
    }

    /**
     * Marks the run FAILED with the stage at fault and the cause; the stage row too, if there is one. A run that
     * has already ended (stopped, or found abandoned) keeps the record it has.
     */
    public void failRun(UUID runId, Long stageRunId, String stage, String error) {
        inTransaction(connection -> {
            try (PreparedStatement fail = connection.prepareStatement("update pipeline_runs set status = 'FAILED',"
                    + " finished_at = now(), heartbeat_at = now(), failed_stage = ?, error = ?"
                    + " where id = ? and status = 'RUNNING'")) {
                bind(fail, stage, error, runId);
                if (fail.executeUpdate() == 1 && stageRunId != null) {
                    execute(connection, "update stage_runs set status = 'FAILED', finished_at = now(), error = ?"
                            + " where id = ?", error, stageRunId);
                }
            }
            return null;
        });
    }

    /** Marks a RUNNING run SUCCEEDED; one that was stopped or found abandoned meanwhile stays as recorded. */
    public void finishRun(UUID runId) {
        update("update pipeline_runs set status = 'SUCCEEDED', finished_at = now(), heartbeat_at = now()"
                + " where id = ? and status = 'RUNNING'", runId);
    }

    /** Locks the run's row for the transaction and fails unless the run is still RUNNING. */
    private static void requireRunning(Connection connection, UUID runId) throws SQLException {
        try (PreparedStatement find = connection.prepareStatement("select status from pipeline_runs where id = ?"
                + " for update")) {
            bind(find, runId);
            try (ResultSet rows = find.executeQuery()) {
                String status = rows.next() ? rows.getString(1) : "unknown";
                if (!status.equals("RUNNING")) {
                    throw new RunNotRunningException(runId, status);
                }
            }
        }
    }

    /** Tells crash recovery this run's process is alive. */
    public void heartbeat(UUID runId) {
        update("update pipeline_runs set heartbeat_at = now() where id = ? and status = 'RUNNING'", runId);
    }

    /**
     * The deployable ONNX model of a model version: the given version, else the one the alias points at, else
     * (both null) the newest version that has one.
     */
    public Optional<DeployableModel> deployable(String name, Integer version, String alias) {
        return query("select v.model_name, v.version, a.path, a.sha256, e.chosen from model_versions v"
                + " join model_exports e on e.model_version_id = v.id"
                + " join artifacts a on a.id = case when e.chosen = 'int8' then e.int8_artifact_id"
                + " else e.fp32_artifact_id end"
                + " where v.model_name = ? and (cast(? as int) is null or v.version = ?)"
                + " and (cast(? as text) is null or v.id = (select model_version_id from model_aliases"
                + " where model_name = v.model_name and alias = ?))"
                + " order by v.version desc, e.id desc limit 1",
                row -> new DeployableModel(row.getString(1), row.getInt(2), row.getString(3), row.getString(4),
                        row.getString(5)), name, version, version, alias, alias).stream().findFirst();
    }

    /** The most recent runs first. */
    public List<Run> listRuns(int limit) {
        return query("select * from pipeline_runs order by started_at desc, id limit ?", RunStore::run, limit);
    }

    /** The run whose id is {@code idOrPrefix} or starts with it; empty when none matches. */
    public Optional<RunDetail> findRun(String idOrPrefix) {
        String prefix = idOrPrefix.trim().toLowerCase();
        if (!prefix.matches("[0-9a-f-]{1,36}")) {
            throw new IllegalArgumentException("'" + idOrPrefix + "' is not a run id (hex digits and dashes)");
        }
        List<Run> runs = query("select * from pipeline_runs where id::text like ? order by started_at limit 2",
                RunStore::run, prefix + "%");
        if (runs.size() > 1) {
            throw new IllegalArgumentException("run id prefix '" + idOrPrefix + "' matches more than one run;"
                    + " give more characters");
        }
        return runs.stream().findFirst().map(this::detail);
    }

    private RunDetail detail(Run run) {
        List<StageRun> stages = query("select s.*, source.run_id as cached_from_run from stage_runs s"
                + " left join stage_runs source on source.id = s.cached_from where s.run_id = ? order by s.id",
                RunStore::stageRun, run.id());
        List<Dataset> datasets = query("select * from datasets where run_id = ? order by id", RunStore::dataset,
                run.id());
        List<StoredArtifact> artifacts = query("select a.*, s.stage from artifacts a join stage_runs s"
                + " on s.id = a.stage_run_id where a.run_id = ? order by a.id", RunStore::artifact, run.id());
        List<Candidate> candidates = query("select * from training_candidates where run_id = ?"
                + " order by stage_run_id, candidate", RunStore::candidate, run.id());
        List<ModelVersion> versions = query("select * from model_versions where run_id = ? order by id",
                RunStore::modelVersion, run.id());
        List<ModelExport> exports = query("select * from model_exports where run_id = ? order by id",
                row -> new ModelExport(row.getString("fp32"), row.getString("int8"), row.getString("chosen"),
                        row.getString("reason")), run.id());
        List<Deployment> deployments = query("select * from deployments where run_id = ? order by id",
                row -> new Deployment(row.getString("target"), row.getString("image"), row.getString("digest"),
                        row.getString("image_id"), row.getString("tar_file"), row.getString("status")), run.id());
        return new RunDetail(run, stages, datasets.isEmpty() ? null : datasets.get(0), artifacts, candidates,
                versions.isEmpty() ? null : versions.get(versions.size() - 1),
                exports.isEmpty() ? null : exports.get(exports.size() - 1),
                deployments.isEmpty() ? null : deployments.get(deployments.size() - 1));
    }

    private static Candidate candidate(ResultSet row) throws SQLException {
        return new Candidate(row.getInt("candidate"), row.getString("params"), row.getBoolean("usable"),
                row.getObject("best_epoch", Integer.class), row.getInt("stopped_epoch"), row.getString("stop_reason"),
                row.getObject("best_validation_loss", Double.class),
                row.getObject("best_validation_metric", Double.class), row.getString("device"),
                row.getDouble("seconds"), List.of());
    }

    private static ModelVersion modelVersion(ResultSet row) throws SQLException {
        return new ModelVersion(row.getString("model_name"), row.getInt("version"), row.getInt("candidate"),
                row.getString("dataset_sha256"), row.getString("metrics"), row.getString("baseline"),
                row.getString("params"), row.getInt("best_epoch"), row.getInt("stopped_epoch"),
                row.getString("stop_reason"), row.getString("device"));
    }

    private static Run run(ResultSet row) throws SQLException {
        return new Run(row.getObject("id", UUID.class), row.getString("pipeline"), row.getString("trigger"),
                row.getString("status"), row.getString("config"), row.getString("artifact_dir"),
                instant(row, "started_at"), instant(row, "finished_at"), instant(row, "heartbeat_at"),
                row.getString("failed_stage"), row.getString("error"));
    }

    private static StageRun stageRun(ResultSet row) throws SQLException {
        return new StageRun(row.getLong("id"), row.getString("stage"), row.getInt("attempt"), row.getString("status"),
                instant(row, "started_at"), instant(row, "finished_at"), row.getObject("rows_in", Long.class),
                row.getObject("rows_out", Long.class), row.getString("error"), row.getString("metrics"),
                row.getObject("cached_from_run", UUID.class));
    }

    private static Dataset dataset(ResultSet row) throws SQLException {
        return new Dataset(row.getString("source"), row.getString("sha256"), row.getLong("bytes"),
                row.getLong("row_count"), row.getInt("column_count"), row.getString("schema"),
                row.getString("column_stats"));
    }

    private static StoredArtifact artifact(ResultSet row) throws SQLException {
        return new StoredArtifact(row.getString("stage"), row.getString("kind"), row.getString("path"),
                row.getString("sha256"), row.getLong("bytes"));
    }

    static Instant instant(ResultSet row, String column) throws SQLException {
        Timestamp timestamp = row.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static void touch(Connection connection, UUID runId) throws SQLException {
        execute(connection, "update pipeline_runs set heartbeat_at = now() where id = ?", runId);
    }

    // --- JDBC plumbing (package-private for ModelRegistry, which shares it) ---

    interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    interface RowMapper<T> {
        T map(ResultSet row) throws SQLException;
    }

    <T> T inTransaction(SqlWork<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("run store: " + e.getMessage(), e);
        }
    }

    private void update(String sql, Object... parameters) {
        inTransaction(connection -> {
            execute(connection, sql, parameters);
            return null;
        });
    }

    private <T> List<T> query(String sql, RowMapper<T> mapper, Object... parameters) {
        return inTransaction(connection -> query(connection, sql, mapper, parameters));
    }

    static <T> List<T> query(Connection connection, String sql, RowMapper<T> mapper, Object... parameters)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            try (ResultSet rows = statement.executeQuery()) {
                List<T> result = new ArrayList<>();
                while (rows.next()) {
                    result.add(mapper.map(rows));
                }
                return result;
            }
        }
    }

    private static void execute(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            statement.executeUpdate();
        }
    }

    private static void bind(PreparedStatement statement, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i]);
        }
    }
}
