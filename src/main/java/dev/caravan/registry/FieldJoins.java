package dev.caravan.registry;

import dev.caravan.registry.Field.Kind;
import java.util.HashMap;
import java.util.Map;

/**
 * Left joins that put one metric, param or tag value per run beside {@code pipeline_runs r}, each key joined
 * once. The primary keys (run_id, key) make each join match one row at most, so rows never multiply.
 */
final class FieldJoins {
    private final Sql joins = new Sql();
    private final Map<Field, String> columns = new HashMap<>();

    /** The field's value in the run's row: its column, or the joined value (null where the run lacks it). */
    String value(Field field) {
        if (field.kind() == Kind.ATTRIBUTE) {
            return field.attribute().sql();
        }
        String column = columns.get(field);
        if (column == null) {
            String alias = "j" + columns.size();
            joins.add(
                    " left join " + field.kind().table + " " + alias + " on " + alias + ".run_id = r.id and " + alias
                            + ".key = ?",
                    field.key());
            column = alias + ".value";
            columns.put(field, column);
        }
        return column;
    }

    /** A finite metric, or the numeric reading of a param or tag (null where it is not a number). */
    String number(Field field) {
        if (field.kind() != Kind.METRIC) {
            return FilterSql.numeric(value(field));
        }
        String column = value(field);
        return "case when " + column.replace(".value", ".finite") + " then " + column + " end";
    }

    Sql sql() {
        return joins;
    }
}
