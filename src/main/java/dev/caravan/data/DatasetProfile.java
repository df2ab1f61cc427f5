package dev.caravan.data;

import java.io.Serializable;
import java.util.List;

/** What ingestion learned about a source file: its identity, its shape and each column's statistics. */
public record DatasetProfile(String source, String sha256, long bytes, int rows, List<ColumnProfile> columns)
        implements Serializable {
    public DatasetProfile {
        columns = List.copyOf(columns);
    }
}
