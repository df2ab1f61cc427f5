package dev.caravan.data;

import java.io.Serializable;

/**
 * A cell that ingestion could not store as its column's type. Ingestion keeps the row (the cell reads as
 * missing) and leaves the decision to cleaning, which quarantines the row with this reason.
 */
public record BadCell(int column, String text, Kind kind) implements Serializable {
    public enum Kind {
        /** Text in a numeric, date or boolean column that does not parse as that type. */
        UNPARSEABLE,
        /** NaN or an infinity in a numeric column. */
        NON_FINITE
    }
}
