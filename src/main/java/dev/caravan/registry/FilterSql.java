package dev.caravan.registry;

import dev.caravan.registry.Field.Kind;
import dev.caravan.registry.Filter.Comparison;
import java.math.BigDecimal;
import java.util.List;

/**
 * Compiles a {@link Filter} into a SQL condition on {@code pipeline_runs r}. Table, column and operator names come
 * from enums; keys and values are always bind parameters.
 */
final class FilterSql {
    /** A param or tag read as a number where it is one, else null: a cast that cannot fail on any text. */
    private static final String NUMERIC = "case when length(%1$s) <= 100"
            + " and %1$s ~ '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]{1,3})?$' then %1$s::numeric end";

    private FilterSql() {}

    static Sql condition(Filter filter) {
        Sql sql = new Sql();
        append(filter, sql);
        return sql;
    }

    /** The numeric reading of a text expression (see {@link #NUMERIC}). */
    static String numeric(String textExpression) {
        return String.format(NUMERIC, textExpression);
    }

    private static void append(Filter filter, Sql sql) {
        if (filter instanceof Filter.And and) {
            join(and.parts(), " and ", sql);
        } else if (filter instanceof Filter.Or or) {
            join(or.parts(), " or ", sql);
        } else if (filter instanceof Filter.Not not) {
            sql.add("not (");
            append(not.inner(), sql);
            sql.add(")");
        } else {
            comparison((Comparison) filter, sql);
        }
    }

    private static void join(List<Filter> parts, String operator, Sql sql) {
        if (parts.isEmpty()) {
            sql.add("true"); // Filter.ALL, the only empty one
            return;
        }
        sql.add("(");
        for (int i = 0; i < parts.size(); i++) {
            sql.add(i == 0 ? "" : operator);
            append(parts.get(i), sql);
        }
        sql.add(")");
    }

    /**
     * A metric, param or tag matches through {@code r.id in (select run_id ... where key = ? and value ...)}:
     * runs without the key never match, the (key, value) index finds the rows, and under OR PostgreSQL hashes
     * the subquery's result once instead of probing it per run.
     */
    private static void comparison(Comparison comparison, Sql sql) {
        Field field = comparison.field();
        if (field.kind() == Kind.ATTRIBUTE) {
            attribute(comparison, sql);
            return;
        }
        boolean numericText = field.kind() != Kind.METRIC && comparison.values().get(0) instanceof Double;
        sql.add("r.id in (select run_id from " + field.kind().table + " where key = ? and ", field.key());
        predicate(numericText ? numeric("value") : "value", comparison, numericText, sql);
        if (field.kind() == Kind.METRIC && comparison.values().stream().allMatch(FilterSql::finite)) {
            sql.add(" and finite"); // NaN sorts above every number in PostgreSQL: compared, it would match "> x"
        }
        sql.add(")");
    }

    private static boolean finite(Object value) {
        return value instanceof Double number && Double.isFinite(number);
    }

    /** A nullable column tests for null first, so that NOT of a comparison is true where the column is null. */
    private static void attribute(Comparison comparison, Sql sql) {
        RunAttribute attribute = comparison.field().attribute();
        String column = attribute.type == RunAttribute.Type.UUID
                        && comparison.operator().isLike()
                ? attribute.sql() + "::text"
                : attribute.sql();
        sql.add("(");
        if (attribute.nullable) {
            sql.add(column + " is not null and ");
        }
        predicate(column, comparison, false, sql);
        sql.add(")");
    }

    /** A number compared with a numeric reading binds as the shortest decimal that reads back as the double. */
    private static void predicate(String left, Comparison comparison, boolean numericText, Sql sql) {
        sql.add(left + " " + comparison.operator().sql + " ");
        List<Object> values = comparison.values().stream()
                .map(value -> numericText ? BigDecimal.valueOf((Double) value) : value)
                .toList();
        if (comparison.operator().takesList()) {
            sql.add("(").addList(values).add(")");
        } else {
            sql.add("?", values.get(0));
        }
    }
}
