package dev.caravan.data;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.Serializable;
import java.util.List;

/**
 * Summary statistics of one column as ingested. Numeric statistics are null for categorical columns; for date
 * columns they are in epoch days. {@code distinct} stops counting at a cap, and {@code distinctCapped} says so.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ColumnProfile(
        String name,
        ColumnType type,
        int missing,
        int invalid,
        int distinct,
        boolean distinctCapped,
        Double min,
        Double max,
        Double mean,
        Double std,
        List<ValueCount> topValues)
        implements Serializable {

    /** A frequent value and how many rows hold it. */
    public record ValueCount(String value, int count) implements Serializable {}
}
