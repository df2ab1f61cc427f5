package dev.caravan.clean;

import java.util.Locale;

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

    /** Parses a spec-file name such as {@code median}; the message lists the valid names. */
    public static MissingStrategy fromId(String id) {
        try {
            return valueOf(id.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown missing-value strategy '" + id
                    + "' (expected drop, mean, median or mode)", e);
        }
    }
}
