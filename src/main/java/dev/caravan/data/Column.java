package dev.caravan.data;

/** One column of a {@link Table}: values stored unboxed, with an explicit notion of "missing". */
public sealed interface Column permits NumericColumn, CategoricalColumn {
    String name();

    ColumnType type();

    int size();

    boolean isMissing(int row);

    /** The cell as text, as it would be written to a CSV file; empty when missing. */
    String render(int row);

    /** A new column holding only the given rows, in the given order. */
    Column select(int[] rows);
}
