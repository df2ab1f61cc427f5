package dev.caravan.clean;

import dev.caravan.data.LowerCaseName;

/** What to do with a missing cell. */
public enum MissingStrategy implements LowerCaseName {
    /** Quarantine the row. */
    DROP,
    /** Fill with the column's mean (numeric and date columns). */
    MEAN,
    /** Fill with the column's median (numeric and date columns). */
    MEDIAN,
    /** Fill with the column's most frequent value (any column). */
    MODE
}
