package dev.caravan.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The model registry as JSON: models, their versions and lineage, and alias moves. Every method returns one JSON
 * object, which is both the CLI's {@code --json} output and the REST API's body. Unknown models, versions and
 * aliases, and refused moves, are {@link IllegalArgumentException}s whose message is meant for people.
 */
public final class ModelRegistry {
    /** The alias that only a blessed version may take, unless forced. */
    public static final String CHAMPION = "champion";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A version with what listings show about it: its blessing, aliases, chosen precision and image. */
    private static final String VERSIONS = "select v.*, b.blessed,"
            + " array(select a.alias from model_aliases a where a.model_version_id = v.id order by a.alias)"
            + " as alias_names,"
            + " (select e.chosen from model_exports e where e.model_version_id = v.id order by e.id desc limit 1)"
            + " as chosen,"
            + " (select d.image from deployments d where d.model_version_id = v.id order by d.id desc limit 1)"
            + " as image"
            + " from model_versions v left join model_blessings b on b.model_version_id = v.id";

    private static final String MOVES = "select h.*, f.version as from_version, t.version as to_version"
            + " from model_alias_history h left join model_versions f on f.id = h.from_version_id"
            + " join model_versions t on t.id = h.to_version_id";

    private final RunStore store;

    public ModelRegistry(DataSource dataSource) {
        this.store = new RunStore(dataSource);
    }

    /** {@code {"models": [{"name", "createdAt", "versionCount", "latestVersion", "aliases": {ALIAS: VERSION}}]}} */
    public ObjectNode list() {
        return store.inTransaction(connection -> {
            ObjectNode result = MAPPER.createObjectNode();
            result.putArray("models").addAll(RunStore.query(connection, "select m.name, m.created_at,"
                    + " count(v.id) as version_count, max(v.version) as latest_version,"
                    + " (select coalesce(json_object_agg(a.alias, av.version order by a.alias), '{}')"
                    + " from model_aliases a join model_versions av on av.id = a.model_version_id"
                    + " where a.model_name = m.name) as aliases"
                    + " from models m left join model_versions v on v.model_name = m.name"
                    + " group by m.name order by m.name", ModelRegistry::model));
            return result;
        });
    }

    /**
     * {@code {"model", "versions": [...]}}, newest first, at most {@code limit}: each with its run, metrics,
     * params, {@code blessed} (null when never evaluated), aliases, chosen {@code precision} and deployed image.
     */
    public ObjectNode versions(String name, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("the limit must be 1 or more; got " + limit);
        }
        return store.inTransaction(connection -> {
            requireModel(connection, name);
            ObjectNode result = MAPPER.createObjectNode().put("model", name);
            result.putArray("versions").addAll(RunStore.query(connection, VERSIONS + " where v.model_name = ?"
                    + " order by v.version desc limit ?", ModelRegistry::summary, name, limit));
            return result;
        });
    }

    /**
     * One version ({@code NAME}, {@code NAME:VERSION} or {@code NAME@ALIAS}): what {@link #versions} says of it,
     * its training details, its {@code blessing} decision, ONNX {@code export} choice, {@code deployment}, and
     * the {@code aliasHistory} of every move to or from it, newest first.
     */
    public ObjectNode show(String reference) {
        ModelReference parsed = ModelReference.parse(reference);
        return store.inTransaction(connection -> {
            long id = resolve(connection, parsed).id();
            ObjectNode version = RunStore.query(connection, VERSIONS + " where v.id = ?", ModelRegistry::detail, id)
                    .get(0);
            version.set("blessing", orNull(RunStore.query(connection, "select b.*, c.version as champion_version"
                    + " from model_blessings b left join model_versions c on c.id = b.champion_version_id"
                    + " where b.model_version_id = ?", ModelRegistry::blessing, id)));
            version.set("export", orNull(RunStore.query(connection, "select * from model_exports"
                    + " where model_version_id = ? order by id desc limit 1", ModelRegistry::export, id)));
            version.set("deployment", orNull(RunStore.query(connection, "select * from deployments"
                    + " where model_version_id = ? order by id desc limit 1", ModelRegistry::deployment, id)));
            version.putArray("aliasHistory").addAll(moves(connection, "h.from_version_id = ? or h.to_version_id = ?",
                    id, id));
            return version;
        });
    }

    /**
     * Where a version came from: {@code {"model", "version", "run": {...}, "stages": [{..., "cachedFrom",
     * "artifacts": [...]}], "dataset": {...}}}. The dataset is the one whose sha256 the version was trained on.
     */
    public ObjectNode lineage(String reference) {
        ModelReference parsed = ModelReference.parse(reference);
        return store.inTransaction(connection -> {
            VersionKey version = resolve(connection, parsed);
            ObjectNode lineage = MAPPER.createObjectNode().put("model", version.name())
                    .put("version", version.version());
            lineage.set("run", RunStore.query(connection, "select r.* from pipeline_runs r"
                    + " join model_versions v on v.run_id = r.id where v.id = ?", ModelRegistry::run, version.id())
                    .get(0));
            lineage.set("stages", stages(connection, version.id()));
            // The run's own dataset row first; a run that reused its ingest may only have an earlier run's
            lineage.set("dataset", RunStore.query(connection, "select v.dataset_sha256, d.source, d.row_count,"
                    + " d.column_count, d.bytes from model_versions v left join lateral (select * from datasets d"
                    + " where d.sha256 = v.dataset_sha256 order by d.run_id = v.run_id desc, d.id desc limit 1) d"
                    + " on true where v.id = ?", ModelRegistry::dataset, version.id()).get(0));
            return lineage;
        });
    }

    /**
     * Points {@code alias} at the referenced version and records the move, in one transaction. Only a blessed
     * version may become {@value #CHAMPION}; {@code force} lets any other through, and only such an override
     * is recorded as {@code forced}. Returns the move as {@link #aliasHistory} lists it.
     *
     * @throws IllegalArgumentException for an unknown model or version, a refused champion, or an alias that
     *     already points at the version
     */
    public ObjectNode promote(String reference, String alias, boolean force, String movedBy, String reason) {
        ModelReference parsed = ModelReference.parse(reference);
        ModelReference.requireAlias(alias);
        if (movedBy == null || movedBy.isBlank()) {
            throw new IllegalArgumentException("say who moves the alias: moved-by is empty");
        }
        String why = reason == null || reason.isBlank() ? "promoted by hand" : reason.strip();
        return store.inTransaction(connection -> {
            RunStore.lockModel(connection, parsed.name());
            VersionKey target = resolve(connection, parsed);
            Optional<VersionKey> current = aliasTarget(connection, parsed.name(), alias);
            if (current.isPresent() && current.get().id() == target.id()) {
                throw new IllegalArgumentException(parsed.name() + "@" + alias + " already points at version "
                        + target.version() + "; nothing to move");
            }
            boolean forced = alias.equals(CHAMPION) && overridesBlessing(connection, target, force);
            RunStore.moveAlias(connection, target.name(), alias, target.id(), movedBy.strip(), why, forced);
            return moves(connection, "h.id = (select max(id) from model_alias_history"
                    + " where model_name = ? and alias = ?)", target.name(), alias).get(0);
        });
    }

    /** {@code {"model", "alias", "current": VERSION, "moves": [{"from", "to", "movedBy", ...}]}}, newest first. */
    public ObjectNode aliasHistory(String name, String alias) {
        ModelReference.requireAlias(alias);
        return store.inTransaction(connection -> {
            requireModel(connection, name);
            List<ObjectNode> moves = moves(connection, "h.model_name = ? and h.alias = ?", name, alias);
            Optional<VersionKey> current = aliasTarget(connection, name, alias);
            if (moves.isEmpty() && current.isEmpty()) {
                throw unknownAlias(connection, name, alias);
            }
            ObjectNode result = MAPPER.createObjectNode().put("model", name).put("alias", alias);
            result.put("current", current.map(VersionKey::version).orElse(null));
            result.putArray("moves").addAll(moves);
            return result;
        });
    }

    // --- resolving references ---

    /** A model version's row id, name and number. */
    private record VersionKey(long id, String name, int version) {
        @Override
        public String toString() {
            return name + ":" + version;
        }
    }

    private static VersionKey resolve(Connection connection, ModelReference reference) throws SQLException {
        requireModel(connection, reference.name());
        Optional<VersionKey> found = reference.alias() != null
                ? aliasTarget(connection, reference.name(), reference.alias())
                : first(RunStore.query(connection, "select id, model_name, version from model_versions"
                        + " where model_name = ? and (cast(? as int) is null or version = ?)"
                        + " order by version desc limit 1", ModelRegistry::key, reference.name(), reference.version(),
                        reference.version()));
        if (found.isPresent()) {
            return found.get();
        }
        if (reference.alias() != null) {
            throw unknownAlias(connection, reference.name(), reference.alias());
        }
        int newest = RunStore.query(connection, "select coalesce(max(version), 0) from model_versions"
                + " where model_name = ?", row -> row.getInt(1), reference.name()).get(0);
        throw new NotFoundException("model " + reference.name() + " has no version "
                + (reference.version() == null ? "yet" : reference.version() + "; its newest is " + newest));
    }

    private static Optional<VersionKey> aliasTarget(Connection connection, String name, String alias)
            throws SQLException {
        return first(RunStore.query(connection, "select v.id, v.model_name, v.version from model_aliases a"
                + " join model_versions v on v.id = a.model_version_id where a.model_name = ? and a.alias = ?",
                ModelRegistry::key, name, alias));
    }

    private static void requireModel(Connection connection, String name) throws SQLException {
        if (RunStore.query(connection, "select 1 from models where name = ?", row -> true, name).isEmpty()) {
            String known = RunStore.query(connection, "select coalesce(string_agg(name, ', ' order by name), '')"
                    + " from models", row -> row.getString(1)).get(0);
            throw new NotFoundException("no model named '" + name + "' "
                    + (known.isEmpty() ? "(no model is registered yet)" : "(models: " + known + ")"));
        }
    }

    private static NotFoundException unknownAlias(Connection connection, String name, String alias)
            throws SQLException {
        String known = RunStore.query(connection, "select coalesce(string_agg(alias, ', ' order by alias), '')"
                + " from model_aliases where model_name = ?", row -> row.getString(1), name).get(0);
        return new NotFoundException("model " + name + " has no alias '" + alias + "' "
                + (known.isEmpty() ? "(it has no aliases yet)" : "(its aliases: " + known + ")"));
    }

    /** The blessing gate's decision for a version. */
    private record Decision(boolean blessed, String reason) {
    }

    /** True when {@code force} takes an unblessed version past the gate; without it such a move is refused. */
    private static boolean overridesBlessing(Connection connection, VersionKey target, boolean force)
            throws SQLException {
        Optional<Decision> decision = first(RunStore.query(connection, "select blessed, reason from model_blessings"
                + " where model_version_id = ?", row -> new Decision(row.getBoolean(1), row.getString(2)),
                target.id()));
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

    private static List<ObjectNode> moves(Connection connection, String condition, Object... parameters)
            throws SQLException {
        return RunStore.query(connection, MOVES + " where " + condition + " order by h.id desc", ModelRegistry::move,
                parameters);
    }

    /** The run's stages in order, each with the artifacts it wrote. */
    private static ArrayNode stages(Connection connection, long versionId) throws SQLException {
        Map<Long, ArrayNode> artifactsByStage = new HashMap<>();
        List<ObjectNode> stages = RunStore.query(connection, "select s.*, c.run_id as cached_run_id"
                + " from stage_runs s left join stage_runs c on c.id = s.cached_from"
                + " where s.run_id = (select run_id from model_versions where id = ?) order by s.id", row -> {
                    ObjectNode stage = stage(row);
                    artifactsByStage.put(row.getLong("id"), stage.putArray("artifacts"));
                    return stage;
                }, versionId);
        for (Map.Entry<Long, ObjectNode> artifact : RunStore.query(connection, "select a.* from artifacts a"
                + " where a.run_id = (select run_id from model_versions where id = ?) order by a.id",
                row -> Map.entry(row.getLong("stage_run_id"), artifact(row)), versionId)) {
            artifactsByStage.get(artifact.getKey()).add(artifact.getValue());
        }
        return MAPPER.createArrayNode().addAll(stages);
    }

    // --- rows as JSON ---

    private static VersionKey key(ResultSet row) throws SQLException {
        return new VersionKey(row.getLong(1), row.getString(2), row.getInt(3));
    }

    private static ObjectNode model(ResultSet row) throws SQLException {
        ObjectNode model = MAPPER.createObjectNode().put("name", row.getString("name"))
                .put("createdAt", time(row, "created_at")).put("versionCount", row.getInt("version_count"))
                .put("latestVersion", row.getObject("latest_version", Integer.class));
        model.set("aliases", json(row.getString("aliases")));
        return model;
    }

    private static ObjectNode summary(ResultSet row) throws SQLException {
        ObjectNode version = MAPPER.createObjectNode().put("model", row.getString("model_name"))
                .put("version", row.getInt("version")).put("runId", row.getString("run_id"))
                .put("createdAt", time(row, "created_at"));
        version.set("metrics", json(row.getString("metrics")));
        version.set("params", json(row.getString("params")));
        version.put("blessed", row.getObject("blessed", Boolean.class));
        ArrayNode aliases = version.putArray("aliases");
        for (String alias : (String[]) row.getArray("alias_names").getArray()) {
            aliases.add(alias);
        }
        return version.put("precision", row.getString("chosen")).put("image", row.getString("image"));
    }

    private static ObjectNode detail(ResultSet row) throws SQLException {
        ObjectNode version = summary(row).put("candidate", row.getInt("candidate"))
                .put("datasetSha256", row.getString("dataset_sha256"));
        version.set("baseline", json(row.getString("baseline")));
        return version.put("bestEpoch", row.getInt("best_epoch")).put("stoppedEpoch", row.getInt("stopped_epoch"))
                .put("stopReason", row.getString("stop_reason")).put("device", row.getString("device"));
    }

    private static ObjectNode blessing(ResultSet row) throws SQLException {
        return MAPPER.createObjectNode().put("blessed", row.getBoolean("blessed"))
                .put("metric", row.getString("metric")).put("direction", row.getString("direction"))
                .put("candidateValue", row.getDouble("candidate_value"))
                .put("championVersion", row.getObject("champion_version", Integer.class))
                .put("championValue", row.getObject("champion_value", Double.class))
                .put("absoluteChange", row.getObject("absolute_change", Double.class))
                .put("relativeChange", row.getObject("relative_change", Double.class))
                .put("reason", row.getString("reason")).put("decidedAt", time(row, "created_at"));
    }

    private static ObjectNode export(ResultSet row) throws SQLException {
        ObjectNode export = MAPPER.createObjectNode().put("precision", row.getString("chosen"))
                .put("reason", row.getString("reason"));
        export.set("fp32", json(row.getString("fp32")));
        export.set("int8", json(row.getString("int8")));
        return export.put("exportedAt", time(row, "created_at"));
    }

    private static ObjectNode deployment(ResultSet row) throws SQLException {
        return MAPPER.createObjectNode().put("target", row.getString("target")).put("image", row.getString("image"))
                .put("digest", row.getString("digest")).put("imageId", row.getString("image_id"))
                .put("tarFile", row.getString("tar_file")).put("status", row.getString("status"))
                .put("deployedAt", time(row, "created_at"));
    }

    private static ObjectNode move(ResultSet row) throws SQLException {
        return MAPPER.createObjectNode().put("model", row.getString("model_name")).put("alias", row.getString("alias"))
                .put("from", row.getObject("from_version", Integer.class)).put("to", row.getInt("to_version"))
                .put("movedBy", row.getString("moved_by")).put("reason", row.getString("reason"))
                .put("forced", row.getBoolean("forced")).put("movedAt", time(row, "moved_at"));
    }

    private static ObjectNode run(ResultSet row) throws SQLException {
        return MAPPER.createObjectNode().put("runId", row.getString("id")).put("pipeline", row.getString("pipeline"))
                .put("status", row.getString("status")).put("trigger", row.getString("trigger"))
                .put("startedAt", time(row, "started_at")).put("finishedAt", time(row, "finished_at"));
    }

    private static ObjectNode stage(ResultSet row) throws SQLException {
        return MAPPER.createObjectNode().put("name", row.getString("stage")).put("attempt", row.getInt("attempt"))
                .put("status", row.getString("status")).put("startedAt", time(row, "started_at"))
                .put("finishedAt", time(row, "finished_at")).put("cachedFrom", row.getString("cached_run_id"));
    }

    private static ObjectNode artifact(ResultSet row) throws SQLException {
        return MAPPER.createObjectNode().put("kind", row.getString("kind")).put("path", row.getString("path"))
                .put("sha256", row.getString("sha256")).put("bytes", row.getLong("bytes"));
    }

    private static ObjectNode dataset(ResultSet row) throws SQLException {
        return MAPPER.createObjectNode().put("source", row.getString("source"))
                .put("sha256", row.getString("dataset_sha256"))
                .put("rows", row.getObject("row_count", Long.class))
                .put("columns", row.getObject("column_count", Integer.class))
                .put("bytes", row.getObject("bytes", Long.class));
    }

    private static String time(ResultSet row, String column) throws SQLException {
        Instant instant = RunStore.instant(row, column);
        return instant == null ? null : instant.toString();
    }

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is unreadable: " + e.getMessage(), e);
        }
    }

    private static <T> Optional<T> first(List<T> rows) {
        return rows.stream().findFirst();
    }

    private static JsonNode orNull(List<ObjectNode> rows) {
        return rows.isEmpty() ? MAPPER.nullNode() : rows.get(0);
    }
}
