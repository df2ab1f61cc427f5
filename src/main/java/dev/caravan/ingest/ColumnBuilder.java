package dev.caravan.ingest;

import dev.caravan.data.BadCell;
import dev.caravan.data.CategoricalColumn;
import dev.caravan.data.CellText;
import dev.caravan.data.Column;
import dev.caravan.data.ColumnType;
import dev.caravan.data.NumericColumn;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Collects one column's cells while the file streams by, storing them unboxed as the column's type. */
abstract class ColumnBuilder {
    /** Receives the cells that do not parse as their column's type. */
    interface BadCellSink {
        void add(int row, BadCell cell);
    }

    final String name;
    final int index;
    final Set<String> missingValues;

    ColumnBuilder(String name, int index, Set<String> missingValues) {
        this.name = name;
        this.index = index;
        this.missingValues = missingValues;
    }

    static ColumnBuilder of(ColumnType type, String name, int index, Set<String> missingValues) {
        return type == ColumnType.CATEGORICAL
                ? new Categorical(name, index, missingValues)
                : new Scalar(type, name, index, missingValues);
    }

    /** Adds the scanner's field {@code index} of the current record as row {@code row}. */
    abstract void add(CsvScanner scanner, int row, BadCellSink badCells);

    abstract Column build(int rows);

    boolean isMissing(String text) {
        return missingValues.contains(text.trim());
    }

    /** Numbers parse from bytes; dates and booleans from text. A bad cell is stored as missing and reported. */
    private static final class Scalar extends ColumnBuilder {
        private final ColumnType type;
        private double[] values = new double[1024];

        Scalar(ColumnType type, String name, int index, Set<String> missingValues) {
            super(name, index, missingValues);
            this.type = type;
        }

        @Override
        void add(CsvScanner scanner, int row, BadCellSink badCells) {
            if (row == values.length) {
                values = Arrays.copyOf(values, row * 2);
            }
            double value = Double.NaN;
            if (!scanner.isEmpty(index)) {
                value = type == ColumnType.NUMERIC
                        ? NumberParser.parse(scanner.buffer(), scanner.start(index), scanner.end(index))
                        : parseText(scanner.text(index));
                if (Double.isNaN(value)) {
                    String text = scanner.text(index);
                    if (!isMissing(text)) {
                        badCells.add(
                                row,
                                new BadCell(
                                        index,
                                        text,
                                        type == ColumnType.NUMERIC && NumberParser.isNonFinite(text)
                                                ? BadCell.Kind.NON_FINITE
                                                : BadCell.Kind.UNPARSEABLE));
                    }
                }
            }
            values[row] = value;
        }

        private double parseText(String text) {
            return type == ColumnType.DATE ? CellText.parseDate(text) : CellText.parseBoolean(text);
        }

        @Override
        Column build(int rows) {
            return new NumericColumn(name, type, Arrays.copyOf(values, rows));
        }
    }

    /** Each distinct text gets a code, in order of first appearance. */
    private static final class Categorical extends ColumnBuilder {
        private final Map<String, Integer> codeOfLevel = new HashMap<>();
        private final List<String> levels = new ArrayList<>();
        private int[] codes = new int[1024];

        Categorical(String name, int index, Set<String> missingValues) {
            super(name, index, missingValues);
        }

        @Override
        void add(CsvScanner scanner, int row, BadCellSink badCells) {
            if (row == codes.length) {
                codes = Arrays.copyOf(codes, row * 2);
            }
            String text = scanner.text(index);
            if (isMissing(text)) {
                codes[row] = CategoricalColumn.MISSING;
                return;
            }
            codes[row] = codeOfLevel.computeIfAbsent(text, level -> {
                levels.add(level);
                return levels.size() - 1;
            });
        }

        @Override
        Column build(int rows) {
            return new CategoricalColumn(name, Arrays.copyOf(codes, rows), levels);
        }
    }
}
