package dev.caravan.data;

/** The inferred (or configured) type of a table column. */
public enum ColumnType implements LowerCaseName {
    /** A number; stored as a double, missing as NaN. */
    NUMERIC,
    /** A label from a finite set; stored as a code into the column's levels, missing as -1. */
    CATEGORICAL,
    /** An ISO-8601 calendar date (yyyy-MM-dd); stored as the epoch day, missing as NaN. */
    DATE,
    /** true/false, yes/no, t/f, y/n in any case; stored as 1 or 0, missing as NaN. */
    BOOLEAN
}
