package dev.caravan.clean;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How the clean stage treats a table. {@code setTarget} is required; the defaults impute numeric and date
 * columns with the median and the others with the mode, fail on a missing target, and drop exact duplicates.
 */
public final class CleaningPolicy {
    /** Inclusive bounds for a numeric column; either may be null for "unbounded". */
    public record Range(Double min, Double max) {
        boolean contains(double value) {
            return (min == null || value >= min) && (max == null || value <= max);
        }

        @Override
        public String toString() {
            return "[" + (min == null ? "-inf" : min) + ", " + (max == null ? "inf" : max) + "]";
        }
    }

    private final String target;
    private final MissingStrategy missing;
    private final Map<String, MissingStrategy> missingByColumn;
    private final boolean dropMissingTarget;
    private final boolean dropDuplicates;
    private final Map<String, Range> ranges;

    private CleaningPolicy(Builder builder) {
        this.target = builder.target;
        this.missing = builder.missing;
        this.missingByColumn = Map.copyOf(builder.missingByColumn);
        this.dropMissingTarget = builder.dropMissingTarget;
        this.dropDuplicates = builder.dropDuplicates;
        this.ranges = Map.copyOf(builder.ranges);
    }

    public static Builder builder() {
        return new Builder();
    }

    public String target() {
        return target;
    }

    MissingStrategy missing() {
        return missing;
    }

    Map<String, MissingStrategy> missingByColumn() {
        return missingByColumn;
    }

    boolean dropMissingTarget() {
        return dropMissingTarget;
    }

    boolean dropDuplicates() {
        return dropDuplicates;
    }

    Map<String, Range> ranges() {
        return ranges;
    }

    /** Builds a {@link CleaningPolicy}. */
    public static final class Builder {
        private String target;
        private MissingStrategy missing = MissingStrategy.MEDIAN;
        private final Map<String, MissingStrategy> missingByColumn = new LinkedHashMap<>();
        private boolean dropMissingTarget;
        private boolean dropDuplicates = true;
        private final Map<String, Range> ranges = new LinkedHashMap<>();

        private Builder() {}

        public Builder setTarget(String target) {
            this.target = target;
            return this;
        }

        /** The strategy for every column without its own (default: median, or mode where median cannot apply). */
        public Builder optMissing(MissingStrategy missing) {
            this.missing = missing;
            return this;
        }

        public Builder optMissing(String column, MissingStrategy strategy) {
            missingByColumn.put(column, strategy);
            return this;
        }

        /** Quarantine rows whose target is missing instead of failing the run (default: fail). */
        public Builder optDropMissingTarget(boolean drop) {
            this.dropMissingTarget = drop;
            return this;
        }

        public Builder optDropDuplicates(boolean drop) {
            this.dropDuplicates = drop;
            return this;
        }

        public Builder optRange(String column, Double min, Double max) {
            if (min != null && max != null && min > max) {
                throw new IllegalArgumentException("range for '" + column + "': min " + min + " is above max " + max);
            }
            ranges.put(column, new Range(min, max));
            return this;
        }

        public CleaningPolicy build() {
            if (target == null || target.isBlank()) {
                throw new IllegalArgumentException("a cleaning policy needs the target column (setTarget)");
            }
            return new CleaningPolicy(this);
        }
    }
}
