package dev.caravan.clean;

import dev.caravan.data.Table;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Map;

/**
 * The cleaned table and what was done to get it.
 *
 * @param quarantinedByReason how many rows each reason removed, in {@link QuarantineReason} order
 * @param imputed for each non-target column, the text that fills its missing cells (absent under the drop policy)
 * @param quarantineFile the quarantine CSV, or null when no row was removed
 */
public record CleanResult(
        Table table,
        int rowsIn,
        Map<String, Integer> quarantinedByReason,
        Map<String, String> imputed,
        Path quarantineFile)
        implements Serializable {
    public int quarantined() {
        return rowsIn - table.rowCount();
    }
}
