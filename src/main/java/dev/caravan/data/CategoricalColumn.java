package dev.caravan.data;

import java.io.Serializable;
import java.util.List;

/** A categorical column: a code per row into {@code levels}, and -1 for a missing cell. */
public record CategoricalColumn(String name, int[] codes, List<String> levels) implements Serializable, Column {
    public static final int MISSING = -1;

    public CategoricalColumn {
        levels = List.copyOf(levels);
    }

    @Override
    public ColumnType type() {
        return ColumnType.CATEGORICAL;
    }

    @Override
    public int size() {
        return codes.length;
    }

    @Override
    public boolean isMissing(int row) {
        return codes[row] == MISSING;
    }

    @Override
    public String render(int row) {
        int code = codes[row];
        return code == MISSING ? "" : levels.get(code);
    }

    @Override
    public CategoricalColumn select(int[] rows) {
        int[] selected = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            selected[i] = codes[rows[i]];
        }
        return new CategoricalColumn(name, selected, levels);
    }
}
