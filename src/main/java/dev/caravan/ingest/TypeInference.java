package dev.caravan.ingest;

import dev.caravan.data.CellText;
import dev.caravan.data.ColumnType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * Guesses a column's type from sample cells. A column is boolean if every value is a boolean word; numeric (or a
 * date) if most of its values parse as one and at most {@value #DIRTY_SHARE} of them (or one cell, in a small
 * sample) do not, so that a few dirty cells do not turn a numeric column into a categorical one: cleaning
 * quarantines those rows instead. Anything else is categorical.
 */
final class TypeInference {
    static final double DIRTY_SHARE = 0.05;

    private TypeInference() {}

    static ColumnType infer(List<String> sample, Set<String> missingValues) {
        int present = 0;
        int numbers = 0;
        int dates = 0;
        int booleans = 0;
        for (String cell : sample) {
            String text = cell.trim();
            if (missingValues.contains(text)) {
                continue;
            }
            present++;
            byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
            if (!Double.isNaN(NumberParser.parse(bytes, 0, bytes.length)) || NumberParser.isNonFinite(text)) {
                numbers++;
            } else if (!Double.isNaN(CellText.parseDate(text))) {
                dates++;
            } else if (!Double.isNaN(CellText.parseBoolean(text))) {
                booleans++;
            }
        }
        if (present == 0) {
            return ColumnType.CATEGORICAL;
        }
        if (booleans == present) {
            return ColumnType.BOOLEAN;
        }
        if (mostlyOfType(numbers, present)) {
            return ColumnType.NUMERIC;
        }
        if (mostlyOfType(dates, present)) {
            return ColumnType.DATE;
        }
        return ColumnType.CATEGORICAL;
    }

    private static boolean mostlyOfType(int typed, int present) {
        int dirty = present - typed;
        return typed * 2 > present && dirty <= Math.max(1, (int) (DIRTY_SHARE * present));
    }
}
