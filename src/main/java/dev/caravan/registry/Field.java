package dev.caravan.registry;

import java.util.Locale;

/**
 * What a query names: a run's metric, param or tag by key ({@code metrics.rmse}), or one of its attributes
 * ({@code status}).
 */
record Field(Kind kind, String key) {
    enum Kind {
        METRIC("metrics", "run_metrics"),
        PARAM("params", "run_params"),
        TAG("tags", "run_tags"),
        ATTRIBUTE("attributes", "pipeline_runs");

        final String prefix;
        final String table;

        Kind(String prefix, String table) {
            this.prefix = prefix;
            this.table = table;
        }

        /** The kind a prefix names, MLflow's singular forms included; null if none. */
        static Kind ofPrefix(String prefix) {
            return switch (prefix.toLowerCase(Locale.ROOT)) {
                case "metrics", "metric" -> METRIC;
                case "params", "param" -> PARAM;
                case "tags", "tag" -> TAG;
                case "attributes", "attribute", "attr" -> ATTRIBUTE;
                default -> null;
            };
        }
    }

    static Field attribute(RunAttribute attribute) {
        return new Field(Kind.ATTRIBUTE, attribute.filterName());
    }

    RunAttribute attribute() {
        return RunAttribute.valueOf(key.toUpperCase(Locale.ROOT));
    }

    /** The canonical spelling, as results name their columns: {@code metrics.rmse}, {@code tags.`my key`}. */
    @Override
    public String toString() {
        if (kind == Kind.ATTRIBUTE) {
            return key;
        }
        boolean plain = key.matches("[\\p{L}\\p{Nd}_.-]+");
        return kind.prefix + "." + (plain ? key : "`" + key.replace("`", "``") + "`");
    }
}
