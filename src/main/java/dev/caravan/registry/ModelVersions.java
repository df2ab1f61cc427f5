package dev.caravan.registry;

import dev.caravan.data.DeployableModel;
import dev.caravan.registry.Jdbc.Tx;
import dev.caravan.registry.VersionKeys.VersionKey;
import dev.caravan.registry.entity.AliasMove;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Model versions and their aliases: versions numbered 1, 2, 3... per model as runs register them, blessings that
 * move an alias, promotions by hand (only a blessed version may become {@value #CHAMPION} unless forced), and the
 * deployable file of a version. Version numbering, blessings and alias moves of one model are serialized by a row
 * lock on the model, so concurrent runs and promotions are recorded one after the other.
 */
public final class ModelVersions {
    /** The alias that only a blessed version may take, unless forced. */
    public static final String CHAMPION = "champion";

    private final Jdbc jdbc;

    ModelVersions(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The deployable ONNX model of a model version: the given version, else the one the alias points at, else
     * (both null) the newest version that has one.
     */
    public Optional<DeployableModel> deployable(String name, Integer version, String alias) {
        return jdbc.read(tx -> tx.first(
                "select v.model_name, v.version, a.path, a.sha256, e.chosen"
                        + " from model_versions v join model_exports e on e.model_version_id = v.id"
                        + " join artifacts a on a.id = case when e.chosen = 'int8' then e.int8_artifact_id"
                        + " else e.fp32_artifact_id end"
                        + " where v.model_name = ? and (cast(? as int) is null or v.version = ?)"
                        + " and (cast(? as text) is null or v.id = (select model_version_id from model_aliases"
                        + " where model_name = v.model_name and alias = ?))"
                        + " order by v.version desc, e.id desc limit 1",
                row -> new DeployableModel(
                        row.getString(1), row.getInt(2), row.getString(3), row.getString(4), row.getString(5)),
                name,
                version,
                version,
                alias,
                alias));
    }

    /** Whether the run's model version was blessed (false when it was not evaluated). */
    public boolean blessed(UUID runId) {
        return jdbc.read(tx -> tx.first(
                        "select 1 from model_blessings b join model_versions v"
                                + " on v.id = b.model_version_id where v.run_id = ? and b.blessed",
                        row -> true,
                        runId)
                .isPresent());
    }

    /**
     * Points {@code alias} at the referenced version and records the move, in one transaction. Only a blessed
     * version may become {@value #CHAMPION}; {@code force} lets any other through, and only such an override is
     * recorded as {@code forced}. Returns the move as the alias history lists it.
     *
     * @throws IllegalArgumentException for a refused champion, or an alias that already points at the version
     */
    public AliasMove promote(String reference, String alias, boolean force, String movedBy, String reason) {
        ModelReference parsed = ModelReference.parse(reference);
        ModelReference.requireAlias(alias);
        if (movedBy == null || movedBy.isBlank()) {
            throw new IllegalArgumentException("say who moves the alias: moved-by is empty");
        }
        String why = reason == null || reason.isBlank() ? "promoted by hand" : reason.strip();
        return jdbc.write(tx -> {
            lockModel(tx, parsed.name());
            VersionKey target = VersionKeys.resolve(tx, parsed);
            Optional<VersionKey> current = VersionKeys.aliasTarget(tx, parsed.name(), alias);
            if (current.isPresent() && current.get().id() == target.id()) {
                throw new IllegalArgumentException(parsed.name() + "@" + alias + " already points at version "
                        + target.version() + "; nothing to move");
            }
            boolean forced = alias.equals(CHAMPION) && overridesBlessing(tx, target, force);
            moveAlias(tx, target.name(), alias, target.id(), movedBy.strip(), why, forced);
            return ModelQueries.moves(
                            tx,
                            "h.id = (select max(id) from model_alias_history" + " where model_name = ? and alias = ?)",
                            target.name(),
                            alias)
                    .get(0);
        });
    }

    /** True when {@code force} takes an unblessed version past the gate; without it such a move is refused. */
    private static boolean overridesBlessing(Tx tx, VersionKey target, boolean force) throws SQLException {
        Optional<Decision> decision = tx.first(
                "select blessed, reason from model_blessings where model_version_id = ?",
                row -> new Decision(row.getBoolean(1), row.getString(2)),
                target.id());
        if (decision.isPresent() && decision.get().blessed()) {
            return false;
        }
        if (force) {
            return true;
        }
        String why = decision.map(found -> "it is not blessed: " + found.reason())
                .orElse("the blessing gate never evaluated it");
        throw new IllegalArgumentException(target + " cannot become " + CHAMPION + " because " + why
                + ". Use --force to promote it anyway (the move is recorded as forced).");
    }

    /** The blessing gate's decision for a version. */
    private record Decision(boolean blessed, String reason) {}

    /**
     * Inserts the next version of a model, in the stage's transaction. Locking the model's row serializes
     * concurrent registrations of one name, so versions stay 1, 2, 3... without gaps or duplicates.
     */
    static int register(Tx tx, UUID runId, long stageRunId, Products.Version draft) throws SQLException {
        tx.update("insert into models (name) values (?) on conflict do nothing", draft.modelName());
        lockModel(tx, draft.modelName());
        return tx.one(
                "insert into model_versions (model_name, version, run_id, stage_run_id, candidate,"
                        + " dataset_sha256, transform_artifact_id, params_artifact_id, metrics, baseline, params, best_epoch,"
                        + " stopped_epoch, stop_reason, device)"
                        + " values (?, (select coalesce(max(version), 0) + 1 from model_versions where model_name = ?),"
                        + " ?, ?, ?, ?,"
                        + " (select id from artifacts where run_id = ? and kind = ? order by id desc limit 1),"
                        + " (select id from artifacts where stage_run_id = ? and kind = ? order by id desc limit 1),"
                        + " ?::jsonb, ?::jsonb, ?::jsonb, ?, ?, ?, ?) returning version",
                row -> row.getInt(1),
                draft.modelName(),
                draft.modelName(),
                runId,
                stageRunId,
                draft.candidate(),
                draft.datasetSha256(),
                runId,
                Artifact.TRANSFORM,
                stageRunId,
                Artifact.MODEL,
                draft.metricsJson(),
                draft.baselineJson(),
                draft.paramsJson(),
                draft.bestEpoch(),
                draft.stoppedEpoch(),
                draft.stopReason(),
                draft.device());
    }

    /**
     * Records the gate's decision, in the stage's transaction; a blessed version takes the alias, with a history
     * row naming the run. A version compared with a champion the alias no longer points at is not blessed.
     */
    static void bless(Tx tx, UUID runId, long stageRunId, Products.Blessing decision) throws SQLException {
        VersionKey version = tx.first(
                        "select id, model_name, version from model_versions where run_id = ?"
                                + " order by id desc limit 1",
                        row -> new VersionKey(row.getLong(1), row.getString(2), row.getInt(3)),
                        runId)
                .orElseThrow(() -> new IllegalStateException("run " + runId + " has no model version to bless"));
        lockModel(tx, version.name());
        Products.Blessing blessing = championUnmoved(tx, version.name(), decision);
        tx.update(
                "insert into model_blessings (model_version_id, run_id, stage_run_id, blessed, metric, direction,"
                        + " candidate_value, champion_version_id, champion_value, absolute_change, relative_change, reason)"
                        + " values (?, ?, ?, ?, ?, ?, ?, (select id from model_versions where model_name = ? and version = ?),"
                        + " ?, ?, ?, ?)",
                version.id(),
                runId,
                stageRunId,
                blessing.blessed(),
                blessing.metric(),
                blessing.direction(),
                blessing.candidateValue(),
                version.name(),
                blessing.championVersion(),
                blessing.championValue(),
                blessing.absoluteChange(),
                blessing.relativeChange(),
                blessing.reason());
        if (blessing.blessed() && blessing.alias() != null) {
            moveAlias(tx, version.name(), blessing.alias(), version.id(), "run " + runId, blessing.reason(), false);
        }
    }

    /** The decision, or a refusal when the alias moved (by a promote) while the new version was evaluated. */
    private static Products.Blessing championUnmoved(Tx tx, String modelName, Products.Blessing decision)
            throws SQLException {
        Integer current = VersionKeys.aliasTarget(tx, modelName, decision.alias())
                .map(VersionKey::version)
                .orElse(null);
        if (!decision.blessed() || Objects.equals(current, decision.championVersion())) {
            return decision;
        }
        return new Products.Blessing(
                false,
                decision.metric(),
                decision.direction(),
                decision.candidateValue(),
                decision.championVersion(),
                decision.championValue(),
                decision.absoluteChange(),
                decision.relativeChange(),
                "not blessed: " + decision.alias() + " moved to version " + current
                        + " while this version was compared with version " + decision.championVersion()
                        + "; run again to compare with the new champion",
                decision.alias());
    }

    /** Points the alias at the version and appends the move to the alias history, in the caller's transaction. */
    private static void moveAlias(
            Tx tx, String modelName, String alias, long versionId, String movedBy, String reason, boolean forced)
            throws SQLException {
        tx.update(
                "insert into model_alias_history (model_name, alias, from_version_id, to_version_id, moved_by,"
                        + " reason, forced) values (?, ?, (select model_version_id from model_aliases where model_name = ?"
                        + " and alias = ? for update), ?, ?, ?, ?)",
                modelName,
                alias,
                modelName,
                alias,
                versionId,
                movedBy,
                reason,
                forced);
        tx.update(
                "insert into model_aliases (model_name, alias, model_version_id) values (?, ?, ?)"
                        + " on conflict (model_name, alias) do update set model_version_id = excluded.model_version_id,"
                        + " updated_at = now()",
                modelName,
                alias,
                versionId);
    }

    /** Locks the model's row for the transaction: its numbering, blessings and alias moves go one at a time. */
    private static void lockModel(Tx tx, String modelName) throws SQLException {
        tx.list("select name from models where name = ? for update", row -> null, modelName);
    }
}
