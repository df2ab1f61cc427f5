package dev.caravan.registry;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The columns of {@code pipeline_runs} that queries may name: the only run identifiers that reach SQL. */
enum RunAttribute {
    STATUS("status", Type.TEXT, false),
    PIPELINE("pipeline", Type.TEXT, false),
    TRIGGER("trigger", Type.TEXT, false),
    RUN_ID("id", Type.UUID, false),
    STARTED_AT("started_at", Type.TIME, false),
    FINISHED_AT("finished_at", Type.TIME, true),
    FAILED_STAGE("failed_stage", Type.TEXT, true);

    enum Type {
        TEXT,
        UUID,
        TIME
    }

    final String column;
    final Type type;
    final boolean nullable;

    RunAttribute(String column, Type type, boolean nullable) {
        this.column = column;
        this.type = type;
        this.nullable = nullable;
    }

    /** The name filters use: {@code run_id}, {@code started_at}... */
    String filterName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The column in the query's {@code pipeline_runs r}. */
    String sql() {
        return "r." + column;
    }

    static Optional<RunAttribute> named(String name) {
        return Arrays.stream(values())
                .filter(a -> a.filterName().equalsIgnoreCase(name))
                .findFirst();
    }

    static String names() {
        return Arrays.stream(values()).map(RunAttribute::filterName).collect(Collectors.joining(", "));
    }
}
