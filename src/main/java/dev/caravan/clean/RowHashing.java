package dev.caravan.clean;

import dev.caravan.data.CategoricalColumn;
import dev.caravan.data.Column;
import dev.caravan.data.NumericColumn;
import dev.caravan.data.Table;

/** Whole-row hashes and equality, column by column, for finding exact duplicate rows. */
final class RowHashing {
    private RowHashing() {}

    static long[] hashRows(Table table) {
        long[] hashes = new long[table.rowCount()];
        for (Column column : table.columns()) {
            if (column instanceof NumericColumn numeric) {
                double[] values = numeric.values();
                for (int row = 0; row < hashes.length; row++) {
                    hashes[row] = mix(hashes[row] * 31 + Double.doubleToLongBits(values[row]));
                }
            } else {
                int[] codes = ((CategoricalColumn) column).codes();
                for (int row = 0; row < hashes.length; row++) {
                    hashes[row] = mix(hashes[row] * 31 + codes[row]);
                }
            }
        }
        return hashes;
    }

    static boolean sameRow(Table table, int a, int b) {
        for (Column column : table.columns()) {
            boolean same = column instanceof NumericColumn numeric
                    ? Double.doubleToLongBits(numeric.get(a)) == Double.doubleToLongBits(numeric.get(b))
                    : ((CategoricalColumn) column).codes()[a] == ((CategoricalColumn) column).codes()[b];
            if (!same) {
                return false;
            }
        }
        return true;
    }

    private static long mix(long h) {
        h *= 0x9E3779B97F4A7C15L;
        return h ^ (h >>> 31);
    }
}
