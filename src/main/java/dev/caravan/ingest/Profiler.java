package dev.caravan.ingest;

import dev.caravan.data.BadCell;
import dev.caravan.data.CategoricalColumn;
import dev.caravan.data.Column;
import dev.caravan.data.ColumnProfile;
import dev.caravan.data.ColumnProfile.ValueCount;
import dev.caravan.data.DatasetProfile;
import dev.caravan.data.NumericColumn;
import dev.caravan.data.Table;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Per-column statistics of an ingested table: min, max, mean, std, missing, invalid, distinct, top values. */
final class Profiler {
    static final int DISTINCT_CAP = 10_000;
    static final int TOP_VALUES = 5;

    private Profiler() {}

    static DatasetProfile profile(Table table, String source, String sha256, long bytes) {
        int[] invalid = new int[table.columnCount()];
        for (List<BadCell> cells : table.badCells().values()) {
            for (BadCell cell : cells) {
                invalid[cell.column()]++;
            }
        }
        List<ColumnProfile> columns = new ArrayList<>();
        for (int i = 0; i < table.columnCount(); i++) {
            Column column = table.columns().get(i);
            columns.add(
                    column instanceof NumericColumn numeric
                            ? numericProfile(numeric, invalid[i])
                            : categoricalProfile((CategoricalColumn) column));
        }
        return new DatasetProfile(source, sha256, bytes, table.rowCount(), columns);
    }

    private static ColumnProfile numericProfile(NumericColumn column, int invalid) {
        double[] values = column.values();
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        int present = 0;
        for (double value : values) {
            if (!Double.isNaN(value)) {
                min = Math.min(min, value);
                max = Math.max(max, value);
                sum += value;
                present++;
            }
        }
        int missing = values.length - present - invalid;
        if (present == 0) {
            return new ColumnProfile(
                    column.name(), column.type(), missing, invalid, 0, false, null, null, null, null, List.of());
        }
        double mean = sum / present;
        double squares = 0;
        for (double value : values) {
            if (!Double.isNaN(value)) {
                squares += (value - mean) * (value - mean);
            }
        }
        double std = present > 1 ? Math.sqrt(squares / (present - 1)) : 0;
        ValueCounter counter = new ValueCounter(DISTINCT_CAP);
        for (double value : values) {
            if (!Double.isNaN(value) && !counter.add(value)) {
                break;
            }
        }
        List<ValueCount> top = new ArrayList<>();
        if (!counter.overflowed()) {
            for (int slot : counter.topSlots(TOP_VALUES)) {
                top.add(new ValueCount(renderValue(column, counter.value(slot)), counter.count(slot)));
            }
        }
        return new ColumnProfile(
                column.name(),
                column.type(),
                missing,
                invalid,
                counter.distinct(),
                counter.overflowed(),
                min,
                max,
                mean,
                std,
                top);
    }

    private static String renderValue(NumericColumn column, double value) {
        return new NumericColumn(column.name(), column.type(), new double[] {value}).render(0);
    }

    private static ColumnProfile categoricalProfile(CategoricalColumn column) {
        int[] counts = new int[column.levels().size()];
        int missing = 0;
        for (int code : column.codes()) {
            if (code == CategoricalColumn.MISSING) {
                missing++;
            } else {
                counts[code]++;
            }
        }
        List<Integer> codes = new ArrayList<>();
        for (int code = 0; code < counts.length; code++) {
            codes.add(code);
        }
        codes.sort(Comparator.comparingInt((Integer code) -> -counts[code]).thenComparing(column.levels()::get));
        List<ValueCount> top = new ArrayList<>();
        for (int code : codes.subList(0, Math.min(TOP_VALUES, codes.size()))) {
            top.add(new ValueCount(column.levels().get(code), counts[code]));
        }
        return new ColumnProfile(
                column.name(), column.type(), missing, 0, counts.length, false, null, null, null, null, top);
    }
}
