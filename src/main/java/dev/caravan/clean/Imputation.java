package dev.caravan.clean;

import dev.caravan.data.CategoricalColumn;
import dev.caravan.data.Column;
import dev.caravan.data.ColumnType;
import dev.caravan.data.NumericColumn;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;

/** Computes a column's fill value (mean, median or mode of its present cells) and fills its missing cells. */
final class Imputation {
    /** The fill value: a number for numeric-like columns, a code for categorical ones, and its text. */
    record Fill(double value, int code, String text) {}

    private Imputation() {}

    /** The fill value, or null when the column has no present cell. */
    static Fill compute(Column column, MissingStrategy strategy) {
        if (column instanceof CategoricalColumn categorical) {
            int code = modeCode(categorical);
            return code < 0
                    ? null
                    : new Fill(Double.NaN, code, categorical.levels().get(code));
        }
        NumericColumn numeric = (NumericColumn) column;
        double[] present =
                Arrays.stream(numeric.values()).filter(v -> !Double.isNaN(v)).toArray();
        if (present.length == 0) {
            return null;
        }
        double value =
                switch (strategy) {
                    case MEAN -> Arrays.stream(present).average().orElseThrow();
                    case MEDIAN -> median(present);
                    case MODE -> mode(present);
                    case DROP -> throw new IllegalArgumentException("drop does not fill cells");
                };
        if (numeric.type() == ColumnType.DATE) {
            value = Math.rint(value); // a date is a whole day
        }
        String text = new NumericColumn(numeric.name(), numeric.type(), new double[] {value}).render(0);
        return new Fill(value, CategoricalColumn.MISSING, text);
    }

    /** The column with its missing cells filled; the same column when none is missing. */
    static Column apply(Column column, Fill fill) {
        if (column instanceof CategoricalColumn categorical) {
            int[] codes = categorical.codes().clone();
            boolean changed = false;
            for (int row = 0; row < codes.length; row++) {
                if (codes[row] == CategoricalColumn.MISSING) {
                    codes[row] = fill.code();
                    changed = true;
                }
            }
            return changed ? new CategoricalColumn(column.name(), codes, categorical.levels()) : column;
        }
        NumericColumn numeric = (NumericColumn) column;
        double[] values = numeric.values().clone();
        boolean changed = false;
        for (int row = 0; row < values.length; row++) {
            if (Double.isNaN(values[row])) {
                values[row] = fill.value();
                changed = true;
            }
        }
        return changed ? new NumericColumn(column.name(), numeric.type(), values) : column;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /** The most frequent value; on a tie, the smallest. */
    private static double mode(double[] values) {
        Map<Double, Integer> counts = new HashMap<>();
        for (double value : values) {
            counts.merge(value, 1, Integer::sum);
        }
        return counts.entrySet().stream()
                .max(Map.Entry.<Double, Integer>comparingByValue()
                        .thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder())))
                .orElseThrow()
                .getKey();
    }

    /** The most frequent level's code; on a tie, the alphabetically first level; -1 if all are missing. */
    private static int modeCode(CategoricalColumn column) {
        int[] counts = new int[column.levels().size()];
        for (int code : column.codes()) {
            if (code != CategoricalColumn.MISSING) {
                counts[code]++;
            }
        }
        int best = -1;
        for (int code = 0; code < counts.length; code++) {
            if (counts[code] > 0
                    && (best < 0
                            || counts[code] > counts[best]
                            || (counts[code] == counts[best]
                                    && column.levels()
                                                    .get(code)
                                                    .compareTo(column.levels().get(best))
                                            < 0))) {
                best = code;
            }
        }
        return best;
    }
}
