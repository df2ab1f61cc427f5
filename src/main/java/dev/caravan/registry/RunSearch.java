package dev.caravan.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caravan.registry.Field.Kind;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
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
import javax.sql.DataSource;

/**
 * Registry queries, answered as JSON for the CLI and the REST API alike: runs by filter with their metrics,
 * params and tags; aggregates over groups of runs; the best model version by a metric. The filter language is
 * {@link FilterParser}'s. A bad filter, order key, group or aggregate is an {@link IllegalArgumentException}
 * that names the offending text and its position.
 */
public final class RunSearch {
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 10_000;
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    /** The REST API's reads need no token, so no query may hold the database for long. */
    private static final String STATEMENT_TIMEOUT = "10s";
    private static final String RUN_COLUMNS = "r.id, r.pipeline, r.status, r.trigger, r.started_at, r.finished_at,"
            + " r.failed_stage, r.error";

    private final DataSource dataSource;

    public RunSearch(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * {@code {"runs": [{runId, pipeline, status, trigger, startedAt, finishedAt, failedStage, error, metrics,
     * params, tags}]}}: the runs {@code filter} matches (all when blank), ordered by {@code orderBy} (each entry
     * one or more comma-separated {@code field [ASC|DESC]}; newest first when null or empty), at most
     * {@code limit}.
     */
    public ObjectNode search(String filter, List<String> orderBy, int limit) {
        Sql sql = searchSql(filter, orderBy, limit);
        return read(connection -> {
            Map<UUID, ObjectNode> runs = new LinkedHashMap<>();
            sql.query(connection, row -> runs.put(row.getObject("id", UUID.class), run(row)));
            if (!runs.isEmpty()) {
                attachValues(connection, runs);
            }
            ObjectNode result = JSON.objectNode();
            result.putArray("runs").addAll(runs.values());
            return result;
        });
    }

    /**
     * {@code {"groups": [{"group": {"params.lr": "0.001"}, "count(*)": 12, "min(metrics.val_loss)": 0.41}]}}:
     * the runs {@code filter} matches, grouped by the {@code groupBy} fields (one group of all when none), each
     * group with its aggregates ({@code count(*)} when none): {@code count(*)}, {@code count(FIELD)}, and
     * {@code min}, {@code max}, {@code avg}, {@code sum} of a metric or of a param's or tag's numeric value.
     * Groups are ordered by their values, runs lacking a group field last; at most {@value #MAX_LIMIT}.
     */
    public ObjectNode aggregate(String filter, List<String> groupBy, List<String> aggregates) {
        List<Field> groups = orListOfNone(groupBy).stream().map(FilterParser::field).toList();
        List<String> aggregateTexts = orListOfNone(aggregates);
        List<Aggregate> values = (aggregateTexts.isEmpty() ? List.of("count(*)") : aggregateTexts).stream()
                .map(FilterParser::aggregate).toList();
        Sql sql = aggregateSql(FilterParser.filter(filter), groups, values);
        return read(connection -> {
            ObjectNode result = JSON.objectNode();
            ArrayNode list = result.putArray("groups");
            sql.query(connection, row -> list.add(group(row, groups, values)));
            return result;
        });
    }

    /**
     * The model version whose run has the lowest ({@code direction} "lower") or highest ("higher") value of
     * {@code metric} ({@code rmse} or {@code metrics.rmse}), the newer version on a tie: {@code {model, version,
     * runId, metric, value, direction, createdAt}}; empty when no version's run has the metric.
     */
    public Optional<ObjectNode> bestVersion(String modelName, String metric, String direction) {
        Sql sql = bestVersionSql(modelName, metric, direction);
        return read(connection -> sql.query(connection, row -> {
            ObjectNode best = JSON.objectNode();
            best.put("model", row.getString("model_name"));
            best.put("version", row.getInt("version"));
            best.put("runId", row.getObject("run_id", UUID.class).toString());
            best.put("metric", row.getString("key"));
            best.put("value", row.getDouble("value"));
            best.put("direction", direction.toLowerCase(Locale.ROOT));
            best.set("createdAt", json(row.getTimestamp("created_at")));
            return best;
        })).stream().findFirst();
    }

    /** PostgreSQL's executed plan of {@link #search}: {@code EXPLAIN (ANALYZE, BUFFERS)} text, for tuning. */
    public String explainSearch(String filter, List<String> orderBy, int limit) {
        return explain(searchSql(filter, orderBy, limit));
    }

    /** PostgreSQL's executed plan of {@link #bestVersion}, as {@link #explainSearch}. */
    public String explainBestVersion(String modelName, String metric, String direction) {
        return explain(bestVersionSql(modelName, metric, direction));
    }

    /** Absent query parameters of the REST API arrive as null. */
    private static List<String> orListOfNone(List<String> texts) {
        return texts == null ? List.of() : texts;
    }

    private static Sql searchSql(String filter, List<String> orderBy, int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1 to " + MAX_LIMIT + ", not " + limit);
        }
        Sql where = FilterSql.condition(FilterParser.filter(filter));
        FieldJoins joins = new FieldJoins();
        StringJoiner order = new StringJoiner(", ", " order by ", ", r.started_at desc, r.id")
                .setEmptyValue(" order by r.started_at desc, r.id");
        orListOfNone(orderBy).stream().flatMap(text -> FilterParser.orderBy(text).stream())
                .forEach(key -> order.add(sortKey(key, joins)));
        return new Sql().add("select " + RUN_COLUMNS + " from pipeline_runs r").add(joins.sql()).add(" where ")
                .add(where).add(order.toString())
                .add(" limit ?", limit);
    }

    /** Params and tags sort by their numeric value first, so that 1e-4 comes before 0.001. */
    private static String sortKey(OrderKey key, FieldJoins joins) {
        String direction = key.descending() ? " desc nulls last" : " asc nulls last";
        String value = joins.value(key.field()) + direction;
        Kind kind = key.field().kind();
        return kind == Kind.METRIC || kind == Kind.ATTRIBUTE ? value : joins.number(key.field()) + direction
                + ", " + value;
    }

    private static Sql aggregateSql(Filter filter, List<Field> groups, List<Aggregate> values) {
        FieldJoins joins = new FieldJoins();
        List<String> columns = new ArrayList<>();
        groups.forEach(field -> columns.add(joins.value(field)));
        values.forEach(aggregate -> columns.add(aggregateColumn(aggregate, joins)));
        Sql sql = new Sql().add("select " + String.join(", ", columns) + " from pipeline_runs r").add(joins.sql())
                .add(" where ").add(FilterSql.condition(filter));
        if (!groups.isEmpty()) {
            String positions = IntStream.rangeClosed(1, groups.size()).mapToObj(String::valueOf)
                    .collect(Collectors.joining(", "));
            sql.add(" group by " + positions + " order by " + positions.replace(",", " nulls last,") + " nulls last");
        }
        return sql.add(" limit ?", MAX_LIMIT);
    }

    private static String aggregateColumn(Aggregate aggregate, FieldJoins joins) {
        if (aggregate.field() == null) {
            return "count(*)";
        }
        Field field = aggregate.field();
        String argument = aggregate.function() == Aggregate.Function.COUNT ? joins.value(field) : joins.number(field);
        return aggregate.function().sql() + "(" + argument + ")";
    }

    private static Sql bestVersionSql(String modelName, String metric, String direction) {
        String order = switch (direction.toLowerCase(Locale.ROOT)) {
            case "lower" -> "asc";
            case "higher" -> "desc";
            default -> throw new IllegalArgumentException("direction is 'lower' or 'higher', not '" + direction + "'");
        };
        int dot = metric.indexOf('.');
        String key = dot < 0 || Kind.ofPrefix(metric.substring(0, dot)) == null ? metric
                : metricKey(FilterParser.field(metric));
        return new Sql().add("select v.model_name, v.version, v.run_id, v.created_at, m.key, m.value"
                + " from run_metrics m join model_versions v on v.run_id = m.run_id"
                + " where m.key = ? and v.model_name = ? order by m.value " + order + ", v.version desc limit 1",
                key, modelName);
    }

    private static String metricKey(Field field) {
        if (field.kind() != Kind.METRIC) {
            throw new IllegalArgumentException("the best version is chosen by a metric, not " + field);
        }
        return field.key();
    }

    private static ObjectNode run(ResultSet row) throws SQLException {
        ObjectNode run = JSON.objectNode();
        run.put("runId", row.getObject("id", UUID.class).toString());
        run.put("pipeline", row.getString("pipeline"));
        run.put("status", row.getString("status"));
        run.put("trigger", row.getString("trigger"));
        run.set("startedAt", json(row.getTimestamp("started_at")));
        run.set("finishedAt", json(row.getTimestamp("finished_at")));
        run.put("failedStage", row.getString("failed_stage"));
        run.put("error", row.getString("error"));
        run.putObject("metrics");
        run.putObject("params");
        run.putObject("tags");
        return run;
    }

    /** Fills each run's {@code metrics}, {@code params} and {@code tags}, keys in order, in one round trip. */
    private static void attachValues(Connection connection, Map<UUID, ObjectNode> runs) throws SQLException {
        Array ids = connection.createArrayOf("uuid", runs.keySet().toArray());
        new Sql().add("select 'metrics', run_id, key, value, null from run_metrics where run_id = any(?)"
                + " union all select 'params', run_id, key, null, value from run_params where run_id = any(?)"
                + " union all select 'tags', run_id, key, null, value from run_tags where run_id = any(?)"
                + " order by 1, 3", ids, ids, ids).query(connection, row -> {
                    ObjectNode values = (ObjectNode) runs.get(row.getObject(2, UUID.class)).get(row.getString(1));
                    Object value = row.getObject(4) != null ? row.getObject(4) : row.getObject(5);
                    return values.set(row.getString(3), json(value));
                });
    }

    private static ObjectNode group(ResultSet row, List<Field> groups, List<Aggregate> aggregates)
            throws SQLException {
        ObjectNode group = JSON.objectNode();
        ObjectNode key = group.putObject("group");
        for (int i = 0; i < groups.size(); i++) {
            key.set(groups.get(i).toString(), json(row.getObject(i + 1)));
        }
        for (int i = 0; i < aggregates.size(); i++) {
            group.set(aggregates.get(i).toString(), json(row.getObject(groups.size() + i + 1)));
        }
        return group;
    }

    /** A column value as JSON: counts as integers, other numbers as doubles, times as ISO-8601 instants. */
    private static JsonNode json(Object value) {
        if (value == null) {
            return JSON.nullNode();
        }
        if (value instanceof Long count) {
            return JSON.numberNode(count);
        }
        if (value instanceof Number number) {
            return JSON.numberNode(number.doubleValue());
        }
        if (value instanceof Timestamp time) {
            return JSON.textNode(time.toInstant().toString());
        }
        return JSON.textNode(value.toString());
    }

    private String explain(Sql sql) {
        return read(connection -> String.join("\n",
                new Sql().add("explain (analyze, buffers) ").add(sql).query(connection, row -> row.getString(1))));
    }

    private interface Read<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Runs in a read-only transaction: whatever a query says, it cannot write. */
    private <T> T read(Read<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            try {
                try (Statement timeout = connection.createStatement()) {
                    timeout.execute("set local statement_timeout = '" + STATEMENT_TIMEOUT + "'"); // reads are open
                }
                return work.run(connection);
            } finally {
                connection.rollback();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("registry query: " + e.getMessage(), e);
        }
    }
}
