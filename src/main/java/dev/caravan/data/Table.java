package dev.caravan.data;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A columnar table read from a source file. Every row remembers the line of the file it started on, so that
 * errors and quarantined rows can point the user at it.
 *
 * @param source the file the rows came from (text, so that a table can be checkpointed)
 * @param columns the columns, in file order
 * @param lineNumbers for each row, the 1-based line of the source file where the row starts
 * @param badCells for the rows that have them, the cells that did not parse (row index to cells)
 */
public record Table(String source, List<Column> columns, long[] lineNumbers, Map<Integer, List<BadCell>> badCells)
        implements Serializable {
    public Table {
        columns = List.copyOf(columns);
        badCells = Collections.unmodifiableMap(new TreeMap<>(badCells)); // sorted: checkpoints hash alike
        for (Column column : columns) {
            if (column.size() != lineNumbers.length) {
                throw new IllegalArgumentException("column '" + column.name() + "' has " + column.size()
                        + " rows, the table " + lineNumbers.length);
            }
        }
    }

    public int rowCount() {
        return lineNumbers.length;
    }

    public int columnCount() {
        return columns.size();
    }

    public List<String> columnNames() {
        List<String> names = new ArrayList<>(columns.size());
        for (Column column : columns) {
            names.add(column.name());
        }
        return names;
    }

    public int indexOf(String columnName) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(columnName)) {
                return i;
            }
        }
        return -1;
    }

    /** The named column; the error lists the columns the file has. */
    public Column column(String columnName) {
        int index = indexOf(columnName);
        if (index < 0) {
            throw CaravanException.badData("column '" + columnName + "' is not in "
                    + Path.of(source).getFileName() + " (columns: " + String.join(", ", columnNames()) + ")");
        }
        return columns.get(index);
    }

    public long lineNumber(int row) {
        return lineNumbers[row];
    }

    /** A new table with only the given rows, in the given order. Bad cells are not carried over. */
    public Table select(int[] rows) {
        List<Column> selected = new ArrayList<>(columns.size());
        for (Column column : columns) {
            selected.add(column.select(rows));
        }
        long[] lines = new long[rows.length];
        for (int i = 0; i < rows.length; i++) {
            lines[i] = lineNumbers[rows[i]];
        }
        return new Table(source, selected, lines, Map.of());
    }

    /** The same rows with one column replaced (by name). */
    public Table withColumn(Column replacement) {
        List<Column> replaced = new ArrayList<>(columns);
        replaced.set(indexOf(replacement.name()), replacement);
        return new Table(source, replaced, lineNumbers, badCells);
    }
}
