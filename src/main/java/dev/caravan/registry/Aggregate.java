package dev.caravan.registry;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** An aggregate over a group of runs: {@code count(*)} ({@code field} null), {@code min(metrics.val_loss)}... */
record Aggregate(Function function, Field field) {
    /** The functions: the only aggregate names that reach SQL. */
    enum Function {
        COUNT,
        MIN,
        MAX,
        AVG,
        SUM;

        static Optional<Function> named(String name) {
            return Arrays.stream(values())
                    .filter(f -> f.name().equalsIgnoreCase(name))
                    .findFirst();
        }

        String sql() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The canonical spelling, which names the aggregate's value in results. */
    @Override
    public String toString() {
        return function.sql() + "(" + (field == null ? "*" : field) + ")";
    }
}
