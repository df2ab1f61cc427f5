package dev.caravan.registry;

import dev.caravan.data.Json;
import dev.caravan.registry.Field.Kind;
import dev.caravan.registry.Jdbc.Tx;
import dev.caravan.registry.VersionKeys.VersionKey;
import dev.caravan.registry.entity.AliasHistory;
import dev.caravan.registry.entity.AliasMove;
import dev.caravan.registry.entity.BestVersion;
import dev.caravan.registry.entity.Lineage;
import dev.caravan.registry.entity.ModelSummary;
import dev.caravan.registry.entity.Models;
import dev.caravan.registry.entity.StoredArtifact;
import dev.caravan.registry.entity.VersionDetail;
import dev.caravan.registry.entity.VersionPage;
import dev.caravan.registry.entity.VersionSummary;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Reads the model registry: models, pages of their versions, one version in full, its lineage, alias history,
 * and the best version by a metric. Unknown models, versions and aliases are {@code NOT_FOUND} errors that list
 * what exists; each answer is read in one snapshot.
 */
public final class ModelQueries {
    public static final int DEFAULT_LIMIT = 20;

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

    private final Jdbc jdbc;

    ModelQueries(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Every registered model with its version count, newest version and aliases, by name. */
    public Models list() {
        return new Models(jdbc.read(tx -> tx.list(
                "select m.name, m.created_at, count(v.id) as version_count,"
                        + " max(v.version) as latest_version,"
                        + " (select coalesce(json_object_agg(a.alias, av.version order by a.alias), '{}')"
                        + " from model_aliases a join model_versions av on av.id = a.model_version_id"
                        + " where a.model_name = m.name) as aliases"
                        + " from models m left join model_versions v on v.model_name = m.name"
                        + " group by m.name order by m.name",
                ModelQueries::model)));
    }

    /** A page of the model's versions, newest first: at most {@code limit}, after skipping {@code offset}. */
    public VersionPage versions(String name, int limit, int offset) {
        Paging paging = new Paging(limit, offset);
        return jdbc.read(tx -> {
            VersionKeys.requireModel(tx, name);
            List<VersionSummary> versions = tx.list(
                    new Sql()
                            .add(VERSIONS + " where v.model_name = ? order by v.version desc", name)
                            .add(paging.clause()),
                    ModelQueries::summary);
            return new VersionPage(name, paging.page(versions), paging.nextOffset(versions));
        });
    }

    /** One version ({@code NAME}, {@code NAME:VERSION} or {@code NAME@ALIAS}) in full. */
    public VersionDetail show(String reference) {
        ModelReference parsed = ModelReference.parse(reference);
        return jdbc.read(tx -> {
            long id = VersionKeys.resolve(tx, parsed).id();
            return tx.one(
                    VERSIONS + " where v.id = ?",
                    row -> new VersionDetail(
                            summary(row),
                            row.getInt("candidate"),
                            row.getString("dataset_sha256"),
                            Json.read(row.getString("baseline")),
                            row.getInt("best_epoch"),
                            row.getInt("stopped_epoch"),
                            row.getString("stop_reason"),
                            row.getString("device"),
                            tx.first(
                                            "select b.*, c.version as champion_version from model_blessings b left join"
                                                    + " model_versions c on c.id = b.champion_version_id where b.model_version_id = ?",
                                            Rows::blessing,
                                            id)
                                    .orElse(null),
                            tx.first(
                                            "select * from model_exports where model_version_id = ? order by id desc limit 1",
                                            Rows::export,
                                            id)
                                    .orElse(null),
                            tx.first(
                                            "select * from deployments where model_version_id = ? order by id desc limit 1",
                                            Rows::deployment,
                                            id)
                                    .orElse(null),
                            moves(tx, "h.from_version_id = ? or h.to_version_id = ?", id, id)),
                    id);
        });
    }

    /**
     * Where a version came from: its run, the run's stages with their artifacts, and the dataset whose sha256 the
     * version was trained on.
     */
    public Lineage lineage(String reference) {
        ModelReference parsed = ModelReference.parse(reference);
        return jdbc.read(tx -> {
            VersionKey version = VersionKeys.resolve(tx, parsed);
            UUID runId = tx.one(
                    "select run_id from model_versions where id = ?",
                    row -> row.getObject(1, UUID.class),
                    version.id());
            Map<Long, List<StoredArtifact>> artifacts = tx
                    .list(
                            Rows.ARTIFACTS + " where a.run_id = ? order by a.id",
                            row -> Map.entry(row.getLong("stage_run_id"), Rows.artifact(row)),
                            runId)
                    .stream()
                    .collect(Collectors.groupingBy(
                            Map.Entry::getKey,
                            LinkedHashMap::new,
                            Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
            List<Lineage.Stage> stages = tx.list(
                    Rows.STAGE_RUNS + " where s.run_id = ? order by s.id",
                    row -> new Lineage.Stage(Rows.stageRun(row), artifacts.getOrDefault(row.getLong("id"), List.of())),
                    runId);
            // The run's own dataset row first; a run that reused its ingest may only have an earlier run's
            return new Lineage(
                    version.name(),
                    version.version(),
                    RunQueries.run(tx, runId).orElseThrow(),
                    stages,
                    tx.one(
                            "select v.dataset_sha256 as sha256, d.source, d.bytes, d.row_count, d.column_count,"
                                    + " d.schema from model_versions v left join lateral (select * from datasets d"
                                    + " where d.sha256 = v.dataset_sha256 order by d.run_id = v.run_id desc, d.id desc"
                                    + " limit 1) d on true where v.id = ?",
                            Rows::dataset,
                            version.id()));
        });
    }

    /** Where the alias points now and each of its moves, newest first. */
    public AliasHistory aliasHistory(String name, String alias) {
        ModelReference.requireAlias(alias);
        return jdbc.read(tx -> {
            VersionKeys.requireModel(tx, name);
            List<AliasMove> moves = moves(tx, "h.model_name = ? and h.alias = ?", name, alias);
            Optional<VersionKey> current = VersionKeys.aliasTarget(tx, name, alias);
            if (moves.isEmpty() && current.isEmpty()) {
                throw VersionKeys.unknownAlias(tx, name, alias);
            }
            return new AliasHistory(
                    name, alias, current.map(VersionKey::version).orElse(null), moves);
        });
    }

    /**
     * The model version whose run has the lowest ({@code direction} "lower") or highest ("higher") finite value
     * of {@code metric} ({@code rmse} or {@code metrics.rmse}), the newer version on a tie; empty when no version's
     * run has the metric.
     */
    public Optional<BestVersion> bestVersion(String modelName, String metric, String direction) {
        Sql sql = bestVersionSql(modelName, metric, direction);
        String lowerCase = direction.toLowerCase(Locale.ROOT);
        return jdbc
                .read(tx -> tx.list(
                        sql,
                        row -> new BestVersion(
                                row.getString("model_name"),
                                row.getInt("version"),
                                row.getObject("run_id", UUID.class),
                                row.getString("key"),
                                row.getDouble("value"),
                                lowerCase,
                                Jdbc.instant(row, "created_at"))))
                .stream()
                .findFirst();
    }

    /** PostgreSQL's executed plan of {@link #bestVersion}, for tuning. */
    public String explainBestVersion(String modelName, String metric, String direction) {
        return RunQueries.explain(jdbc, bestVersionSql(modelName, metric, direction));
    }

    private static Sql bestVersionSql(String modelName, String metric, String direction) {
        String order =
                switch (direction.toLowerCase(Locale.ROOT)) {
                    case "lower" -> "asc";
                    case "higher" -> "desc";
                    default -> throw new IllegalArgumentException(
                            "direction is 'lower' or 'higher', not '" + direction + "'");
                };
        int dot = metric.indexOf('.');
        String key = dot < 0 || Kind.ofPrefix(metric.substring(0, dot)) == null
                ? metric
                : metricKey(FilterParser.field(metric));
        return new Sql()
                .add(
                        "select v.model_name, v.version, v.run_id, v.created_at, m.key, m.value"
                                + " from run_metrics m join model_versions v on v.run_id = m.run_id"
                                + " where m.key = ? and m.finite and v.model_name = ? order by m.value " + order
                                + ", v.version desc limit 1",
                        key,
                        modelName);
    }

    private static String metricKey(Field field) {
        if (field.kind() != Kind.METRIC) {
            throw new IllegalArgumentException("the best version is chosen by a metric, not " + field);
        }
        return field.key();
    }

    /** Alias moves matching {@code condition} on {@code model_alias_history h}, newest first. */
    static List<AliasMove> moves(Tx tx, String condition, Object... parameters) throws SQLException {
        return tx.list(MOVES + " where " + condition + " order by h.id desc", Rows::move, parameters);
    }

    private static ModelSummary model(ResultSet row) throws SQLException {
        Map<String, Integer> aliases = new LinkedHashMap<>();
        Json.read(row.getString("aliases"))
                .fields()
                .forEachRemaining(
                        alias -> aliases.put(alias.getKey(), alias.getValue().asInt()));
        return new ModelSummary(
                row.getString("name"),
                Jdbc.instant(row, "created_at"),
                row.getInt("version_count"),
                row.getObject("latest_version", Integer.class),
                aliases);
    }

    private static VersionSummary summary(ResultSet row) throws SQLException {
        return new VersionSummary(
                row.getString("model_name"),
                row.getInt("version"),
                row.getObject("run_id", UUID.class),
                Jdbc.instant(row, "created_at"),
                Json.read(row.getString("metrics")),
                Json.read(row.getString("params")),
                row.getObject("blessed", Boolean.class),
                List.of((String[]) row.getArray("alias_names").getArray()),
                row.getString("chosen"),
                row.getString("image"));
    }
}
