package dev.caravan.clean;

import dev.caravan.data.EnumNames;

/** What to do with a missing cell. */
public enum MissingStrategy {
    /** Quarantine the row. */
    DROP,
    /** Fill with the column's mean (numeric and date columns). */
    MEAN,
    /** Fill with the column's median (numeric and date columns). */
    MEDIAN,
    /** Fill with the column's most frequent value (any column). */
    MODE;

    public static MissingStrategy fromId(String id) {
        return EnumNames.parse(MissingStrategy.class, id, "missing-value strategy");
    }
}
