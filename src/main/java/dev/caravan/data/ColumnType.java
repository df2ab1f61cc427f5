package dev.caravan.data;

/** The inferred (or configured) type of a table column. */
public enum ColumnType {
    /** A number; stored as a double, missing as NaN. */
    NUMERIC,
    /** A label from a finite set; stored as a code into the column's levels, missing as -1. */
    CATEGORICAL,
    /** An ISO-8601 calendar date (yyyy-MM-dd); stored as the epoch day, missing as NaN. */
    DATE,
    /** true/false, yes/no, t/f, y/n in any case; stored as 1 or 0, missing as NaN. */
    BOOLEAN;

    /** The lower-case name used in spec files and JSON. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Parses a spec-file name such as {@code numeric}; the message lists the valid names. */
    public static ColumnType fromId(String id) {
        for (ColumnType type : values()) {
            if (type.id().equalsIgnoreCase(id.trim())) {
                return type;
            }
        }
        throw new IllegalArgumentException(
                "unknown column type '" + id + "' (expected numeric, categorical, date or boolean)");
    }
}
