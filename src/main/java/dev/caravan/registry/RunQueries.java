package dev.caravan.registry;

import dev.caravan.data.Json;
import dev.caravan.registry.Field.Kind;
import dev.caravan.registry.Jdbc.Tx;
import dev.caravan.registry.entity.Blessing;
import dev.caravan.registry.entity.Candidate;
import dev.caravan.registry.entity.Dataset;
import dev.caravan.registry.entity.Deployment;
import dev.caravan.registry.entity.Export;
import dev.caravan.registry.entity.Groups;
import dev.caravan.registry.entity.ModelVersion;
import dev.caravan.registry.entity.Run;
import dev.caravan.registry.entity.RunDetail;
import dev.caravan.registry.entity.RunPage;
import dev.caravan.registry.entity.RunStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Reads runs: one run in full, pages of runs by filter with their metrics, params and tags, and aggregates over
 * groups of runs. The filter language is {@link FilterParser}'s; a bad filter, order key, group or aggregate is an
 * {@link IllegalArgumentException} that names the offending text and its position. Every answer is read in one
 * snapshot.
 */
public final class RunQueries {
    public static final int DEFAULT_LIMIT = 100;
    private static final String RUN_COLUMNS = "r.id, r.pipeline, r.status, r.trigger, r.started_at, r.finished_at,"
            + " r.failed_stage, r.error, r.artifact_dir";

    private final Jdbc jdbc;

    RunQueries(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Everything recorded about a run; empty when there is no run with this id. */
    public Optional<RunDetail> detail(UUID runId) {
        return jdbc.read(tx -> {
            Optional<Run> run = run(tx, runId);
            return run.isEmpty() ? Optional.empty() : Optional.of(detail(tx, run.get()));
        });
    }

    /** One run, with its tags, metrics and params. */
    static Optional<Run> run(Tx tx, UUID runId) throws SQLException {
        return runs(tx, new Sql().add("select " + RUN_COLUMNS + " from pipeline_runs r where r.id = ?", runId)).stream()
                .findFirst();
    }

    private static RunDetail detail(Tx tx, Run run) throws SQLException {
        UUID id = run.runId();
        return new RunDetail(
                run,
                tx.list(Rows.STAGE_RUNS + " where s.run_id = ? order by s.id", Rows::stageRun, id),
                tx.<Dataset>first("select * from datasets where run_id = ? order by id limit 1", Rows::dataset, id)
                        .orElse(null),
                tx.list(Rows.ARTIFACTS + " where a.run_id = ? order by a.id", Rows::artifact, id),
                tx.list(
                        "select * from training_candidates where run_id = ? order by stage_run_id, candidate",
                        RunQueries::candidate,
                        id),
                tx.<ModelVersion>first(
                                "select * from model_versions where run_id = ? order by id desc limit 1",
                                RunQueries::modelVersion,
                                id)
                        .orElse(null),
                tx.<Export>first(
                                "select * from model_exports where run_id = ? order by id desc limit 1",
                                Rows::export,
                                id)
                        .orElse(null),
                tx.<Blessing>first(
                                "select b.*, c.version as champion_version from model_blessings b"
                                        + " left join model_versions c on c.id = b.champion_version_id where b.run_id = ?"
                                        + " order by b.id desc limit 1",
                                Rows::blessing,
                                id)
                        .orElse(null),
                tx.<Deployment>first(
                                "select * from deployments where run_id = ? order by id desc limit 1",
                                Rows::deployment,
                                id)
                        .orElse(null));
    }

    /**
     * The id of the run whose id is {@code idOrPrefix} or starts with it (a convenience of the CLI); empty when
     * none matches.
     *
     * @throws IllegalArgumentException when the text is not hex digits and dashes, or matches several runs
     */
    public Optional<UUID> resolve(String idOrPrefix) {
        String prefix = idOrPrefix.trim().toLowerCase(Locale.ROOT);
        if (!prefix.matches("[0-9a-f-]{1,36}")) {
            throw new IllegalArgumentException("'" + idOrPrefix + "' is not a run id (hex digits and dashes)");
        }
        List<UUID> ids = jdbc.read(tx -> tx.list(
                "select id from pipeline_runs where id::text like ?" + " order by started_at limit 2",
                row -> row.getObject(1, UUID.class),
                prefix + "%"));
        if (ids.size() > 1) {
            throw new IllegalArgumentException(
                    "run id prefix '" + idOrPrefix + "' matches more than one run;" + " give more characters");
        }
        return ids.stream().findFirst();
    }

    /**
     * A page of the runs {@code filter} matches (all when blank), ordered by {@code orderBy} (each entry one or
     * more comma-separated {@code field [ASC|DESC]}; newest first when null or empty): at most {@code limit},
     * after skipping {@code offset}.
     */
    public RunPage search(String filter, List<String> orderBy, int limit, int offset) {
        Paging paging = new Paging(limit, offset);
        Sql sql = searchSql(filter, orderBy, paging);
        return jdbc.read(tx -> {
            List<Run> runs = runs(tx, sql);
            return new RunPage(paging.page(runs), paging.nextOffset(runs));
        });
    }

    /**
     * The runs {@code filter} matches, grouped by the {@code groupBy} fields (one group of all when none), each
     * group with its aggregates ({@code count(*)} when none): {@code count(*)}, {@code count(FIELD)}, and
     * {@code min}, {@code max}, {@code avg}, {@code sum} of a metric (finite values only) or of a param's or tag's
     * numeric value. Groups are ordered by their values, runs lacking a group field last; at most
     * {@value Paging#MAX_LIMIT}.
     */
    public Groups aggregate(String filter, List<String> groupBy, List<String> aggregates) {
        List<Field> groups = orNone(groupBy).stream().map(FilterParser::field).toList();
        List<String> aggregateTexts = orNone(aggregates);
        List<Aggregate> values = (aggregateTexts.isEmpty() ? List.of("count(*)") : aggregateTexts)
                .stream().map(FilterParser::aggregate).toList();
        Sql sql = aggregateSql(FilterParser.filter(filter), groups, values);
        return new Groups(jdbc.read(tx -> tx.list(sql, row -> group(row, groups, values))));
    }

    /** PostgreSQL's executed plan of {@link #search}: {@code EXPLAIN (ANALYZE, BUFFERS)} text, for tuning. */
    public String explainSearch(String filter, List<String> orderBy, int limit) {
        return explain(jdbc, searchSql(filter, orderBy, new Paging(limit, 0)));
    }

    static String explain(Jdbc jdbc, Sql sql) {
        return jdbc.read(tx -> String.join(
                "\n", tx.list(new Sql().add("explain (analyze, buffers) ").add(sql), row -> row.getString(1))));
    }

    /** Absent query parameters of the REST API arrive as null. */
    private static List<String> orNone(List<String> texts) {
        return texts == null ? List.of() : texts;
    }

    private static Sql searchSql(String filter, List<String> orderBy, Paging paging) {
        Sql where = FilterSql.condition(FilterParser.filter(filter));
        FieldJoins joins = new FieldJoins();
        StringJoiner order = new StringJoiner(", ", " order by ", ", r.started_at desc, r.id")
                .setEmptyValue(" order by r.started_at desc, r.id");
        orNone(orderBy).stream()
                .flatMap(text -> FilterParser.orderBy(text).stream())
                .forEach(key -> order.add(sortKey(key, joins)));
        return new Sql()
                .add("select " + RUN_COLUMNS + " from pipeline_runs r")
                .add(joins.sql())
                .add(" where ")
                .add(where)
                .add(order.toString())
                .add(paging.clause());
    }

    /**
     * Params and tags sort by their numeric value first, so that 1e-4 comes before 0.001; metrics by their finite
     * value first, so that diverged runs come last whichever the direction.
     */
    private static String sortKey(OrderKey key, FieldJoins joins) {
        String direction = key.descending() ? " desc nulls last" : " asc nulls last";
        String value = joins.value(key.field()) + direction;
        return key.field().kind() == Kind.ATTRIBUTE ? value : joins.number(key.field()) + direction + ", " + value;
    }

    private static Sql aggregateSql(Filter filter, List<Field> groups, List<Aggregate> values) {
        FieldJoins joins = new FieldJoins();
        List<String> columns = new ArrayList<>();
        groups.forEach(field -> columns.add(joins.value(field)));
        values.forEach(aggregate -> columns.add(aggregateColumn(aggregate, joins)));
        Sql sql = new Sql()
                .add("select " + String.join(", ", columns) + " from pipeline_runs r")
                .add(joins.sql())
                .add(" where ")
                .add(FilterSql.condition(filter));
        if (!groups.isEmpty()) {
            String positions = IntStream.rangeClosed(1, groups.size())
                    .mapToObj(String::valueOf)
                    .collect(Collectors.joining(", "));
            sql.add(" group by " + positions + " order by " + positions.replace(",", " nulls last,") + " nulls last");
        }
        return sql.add(" limit ?", Paging.MAX_LIMIT);
    }

    private static String aggregateColumn(Aggregate aggregate, FieldJoins joins) {
        if (aggregate.field() == null) {
            return "count(*)";
        }
        Field field = aggregate.field();
        String argument = aggregate.function() == Aggregate.Function.COUNT ? joins.value(field) : joins.number(field);
        return aggregate.function().sql() + "(" + argument + ")";
    }

    /**
     * The runs a query selects (at least {@link #RUN_COLUMNS}), each with its tags, metrics and params,
     * fetched together in one more round trip.
     */
    static List<Run> runs(Tx tx, Sql query) throws SQLException {
        List<RunRow> rows = tx.list(query, RunQueries::runRow);
        if (rows.isEmpty()) {
            return List.of();
        }
        Map<UUID, Values> values = new LinkedHashMap<>();
        rows.forEach(row -> values.put(row.id(), new Values()));
        Object ids = tx.uuids(values.keySet());
        tx.list(
                "select 'metrics', run_id, key, value, null from run_metrics where run_id = any(?)"
                        + " union all select 'params', run_id, key, null, value from run_params where run_id = any(?)"
                        + " union all select 'tags', run_id, key, null, value from run_tags where run_id = any(?)"
                        + " order by 1, 3",
                row -> values.get(row.getObject(2, UUID.class)).add(row),
                ids,
                ids,
                ids);
        List<Run> runs = new ArrayList<>();
        for (RunRow row : rows) {
            Values of = values.get(row.id());
            runs.add(new Run(
                    row.id(),
                    row.pipeline(),
                    row.status(),
                    row.trigger(),
                    row.startedAt(),
                    row.finishedAt(),
                    Run.durationMs(row.startedAt(), row.finishedAt()),
                    row.failedStage(),
                    row.error(),
                    row.artifactDir(),
                    of.tags,
                    of.metrics,
                    of.params));
        }
        return runs;
    }

    /** A run's columns, before its tags, metrics and params are attached. */
    private record RunRow(
            UUID id,
            String pipeline,
            RunStatus status,
            String trigger,
            Instant startedAt,
            Instant finishedAt,
            String failedStage,
            String error,
            String artifactDir) {}

    private static RunRow runRow(ResultSet row) throws SQLException {
        return new RunRow(
                row.getObject("id", UUID.class),
                row.getString("pipeline"),
                RunStatus.valueOf(row.getString("status")),
                row.getString("trigger"),
                Jdbc.instant(row, "started_at"),
                Jdbc.instant(row, "finished_at"),
                row.getString("failed_stage"),
                row.getString("error"),
                row.getString("artifact_dir"));
    }

    /** One run's tags, metrics and params, keys in order. */
    private static final class Values {
        final Map<String, String> tags = new LinkedHashMap<>();
        final Map<String, Double> metrics = new LinkedHashMap<>();
        final Map<String, String> params = new LinkedHashMap<>();

        Values add(ResultSet row) throws SQLException {
            String key = row.getString(3);
            switch (row.getString(1)) {
                case "metrics" -> metrics.put(key, row.getDouble(4));
                case "params" -> params.put(key, row.getString(5));
                default -> tags.put(key, row.getString(5));
            }
            return this;
        }
    }

    private static Candidate candidate(ResultSet row) throws SQLException {
        return new Candidate(
                row.getInt("candidate"),
                Json.read(row.getString("params")),
                row.getBoolean("usable"),
                row.getObject("best_epoch", Integer.class),
                row.getInt("stopped_epoch"),
                row.getString("stop_reason"),
                row.getObject("best_validation_loss", Double.class),
                row.getObject("best_validation_metric", Double.class),
                row.getString("device"),
                row.getDouble("seconds"),
                Json.read(row.getString("rungs")));
    }

    private static ModelVersion modelVersion(ResultSet row) throws SQLException {
        return new ModelVersion(
                row.getString("model_name"),
                row.getInt("version"),
                Json.read(row.getString("metrics")),
                Json.read(row.getString("baseline")),
                row.getInt("best_epoch"),
                row.getInt("stopped_epoch"),
                row.getString("stop_reason"),
                row.getString("device"),
                row.getInt("candidate"),
                Json.read(row.getString("params")),
                row.getString("dataset_sha256"));
    }

    private static Groups.Group group(ResultSet row, List<Field> groups, List<Aggregate> aggregates)
            throws SQLException {
        Map<String, Object> key = new LinkedHashMap<>();
        for (int i = 0; i < groups.size(); i++) {
            key.put(groups.get(i).toString(), value(row.getObject(i + 1)));
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < aggregates.size(); i++) {
            values.put(aggregates.get(i).toString(), value(row.getObject(groups.size() + i + 1)));
        }
        return new Groups.Group(key, values);
    }

    /** A column value as it reads in JSON: counts as integers, other numbers as doubles, times as instants. */
    private static Object value(Object column) {
        if (column == null || column instanceof Long) {
            return column;
        }
        if (column instanceof Number number) {
            return number.doubleValue();
        }
        return column instanceof Timestamp time ? time.toInstant() : column.toString();
    }
}
