package dev.caravan.data;

import java.io.Serializable;
import java.time.LocalDate;

/**
 * A numeric, date or boolean column as doubles: dates as epoch days, booleans as 0 or 1, missing as NaN.
 * The array is shared, not copied: a stage that changes values builds a new column.
 */
public record NumericColumn(String name, ColumnType type, double[] values) implements Serializable, Column {
    public NumericColumn {
        if (type == ColumnType.CATEGORICAL) {
            throw new IllegalArgumentException("column '" + name + "': categorical values need a CategoricalColumn");
        }
    }

    @Override
    public int size() {
        return values.length;
    }

    @Override
    public boolean isMissing(int row) {
        return Double.isNaN(values[row]);
    }

    public double get(int row) {
        return values[row];
    }

    @Override
    public String render(int row) {
        double value = values[row];
        if (Double.isNaN(value)) {
            return "";
        }
        return switch (type) {
            case DATE -> LocalDate.ofEpochDay((long) value).toString();
            case BOOLEAN -> value != 0 ? "true" : "false";
            default -> formatNumber(value);
        };
    }

    /** Integral values print without a fraction ("42", not "42.0"), the way they usually appear in a CSV. */
    public static String formatNumber(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }

    @Override
    public NumericColumn select(int[] rows) {
        double[] selected = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            selected[i] = values[rows[i]];
        }
        return new NumericColumn(name, type, selected);
    }
}
