package dev.caravan.data;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.Serializable;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The fitted transform: the contract between training, ONNX export and serving. Saved as JSON, it is enough on
 * its own to turn a raw row (column name to value) into the model's feature vector, and a label index back into
 * a label.
 *
 * <p>Each input column expands into one or more features, in input order: a numeric or boolean column into one;
 * a date into its epoch day, month, day of month and a one-hot day of week; a categorical column into a one-hot
 * slot per vocabulary entry plus a last "unknown" slot. Every feature is then normalized as
 * {@code (value - center) * scale}; one-hot slots keep center 0 and scale 1.
 *
 * @param formatVersion the version of this JSON layout
 * @param task {@code regression} or {@code classification}
 * @param method the normalization: {@code minmax} or {@code zscore}
 * @param range for min-max, the target interval ({@code [0, 1]} or {@code [-1, 1]}); null for z-score
 * @param inputs the raw columns the transform reads, in order
 * @param features the encoded vector's layout with each feature's normalization
 * @param target how the target column is encoded
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FittedTransform(
        int formatVersion,
        String task,
        String method,
        List<Double> range,
        List<Input> inputs,
        List<Feature> features,
        Target target)
        implements Serializable {

    public static final int FORMAT_VERSION = 1;
    public static final String UNKNOWN_LEVEL = "<unknown>";
    static final String[] DATE_PARTS = {"epochDay", "month", "dayOfMonth"};

    public FittedTransform {
        inputs = List.copyOf(inputs);
        features = List.copyOf(features);
        int width = 0;
        for (Input input : inputs) {
            width += input.width();
        }
        if (width != features.size()) {
            throw new IllegalArgumentException(
                    "inputs expand to " + width + " features, the layout has " + features.size());
        }
    }

    /**
     * One raw column the transform reads.
     *
     * @param impute the text that stands in for a missing cell (as cleaning imputed it), or null when a missing
     *     cell is an error (categorical columns then use the unknown slot)
     * @param vocabulary for categorical columns, the levels seen in training, one one-hot slot each
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Input(String name, ColumnType type, String impute, List<String> vocabulary) implements Serializable {
        /** How many features this column expands into. */
        public int width() {
            return switch (type) {
                case NUMERIC, BOOLEAN -> 1;
                case DATE -> DATE_PARTS.length + DayOfWeek.values().length;
                case CATEGORICAL -> vocabulary.size() + 1;
            };
        }

        /** Whether feature {@code part} of this column is normalized; one-hot slots are not. */
        public boolean isScaled(int part) {
            return switch (type) {
                case NUMERIC, BOOLEAN -> true;
                case DATE -> part < DATE_PARTS.length;
                case CATEGORICAL -> false;
            };
        }

        /** The names of the features this column expands into. */
        public List<String> featureNames() {
            List<String> names = new ArrayList<>(width());
            switch (type) {
                case NUMERIC, BOOLEAN -> names.add(name);
                case DATE -> {
                    for (String part : DATE_PARTS) {
                        names.add(name + "." + part);
                    }
                    for (DayOfWeek day : DayOfWeek.values()) {
                        names.add(name + ".dayOfWeek=" + day.name().substring(0, 3));
                    }
                }
                case CATEGORICAL -> {
                    for (String level : vocabulary) {
                        names.add(name + "=" + level);
                    }
                    names.add(name + "=" + UNKNOWN_LEVEL);
                }
            }
            return names;
        }
    }

    /** One element of the encoded vector: {@code encoded = (value - center) * scale}. */
    public record Feature(String name, String input, double center, double scale) implements Serializable {}

    /**
     * The target: for classification its labels (a label's index is its class); for regression the scaling
     * {@code (y - center) * scale} the model is trained on, to be inverted on its output, or with {@code log}
     * true, {@code (ln y - center) * scale}.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Target(String name, ColumnType type, List<String> labels, Double center, Double scale, Boolean log)
            implements Serializable {
        /** Whether the model learns the target's logarithm (not named isLog: Jackson would take it for log). */
        public boolean logged() {
            return Boolean.TRUE.equals(log);
        }
    }

    /** The same transform, for a model that learns {@code (ln y - center) * scale}. */
    public FittedTransform withLogTarget(double center, double scale) {
        return new FittedTransform(
                formatVersion,
                task,
                method,
                range,
                inputs,
                features,
                new Target(target.name(), target.type(), null, center, scale, true));
    }

    public int featureCount() {
        return features.size();
    }

    @JsonIgnore
    public boolean isClassification() {
        return "classification".equals(task);
    }

    /** The class index of a label; an unseen label is bad data and names itself. */
    public int labelIndex(String label) {
        int index = target.labels().indexOf(label);
        if (index < 0) {
            throw CaravanException.badData("target '" + target.name() + "' has label '" + label
                    + "', which training never saw (labels: " + String.join(", ", target.labels()) + ")");
        }
        return index;
    }

    /** The regression target as the model sees it. */
    public double scaleTarget(double y) {
        return ((target.logged() ? Math.log(y) : y) - target.center()) * target.scale();
    }

    /** The model's regression output back in the target's units. */
    public double unscaleTarget(double scaled) {
        double value = scaled / target.scale() + target.center();
        return target.logged() ? Math.exp(value) : value;
    }

    /**
     * Encodes one raw row without the normalization: the input of an exported ONNX graph, which normalizes
     * inside. Values may be strings (as in a CSV), numbers or booleans; a column that is absent or blank counts as
     * missing. Errors name the column.
     */
    public double[] encodeUnnormalized(Map<String, ?> row) {
        double[] out = new double[features.size()];
        int offset = 0;
        for (Input input : inputs) {
            Object value = row.get(input.name());
            if (isBlank(value)) {
                value = input.impute();
            }
            if (input.type() == ColumnType.CATEGORICAL) {
                writeCategorical(input, value == null ? null : value.toString(), out, offset);
            } else {
                if (value == null) {
                    throw CaravanException.badData(
                            "column '" + input.name() + "' is missing, and the pipeline's cleaning"
                                    + " policy dropped such rows instead of imputing them");
                }
                writeScalar(input, parseScalar(input, value), out, offset);
            }
            offset += input.width();
        }
        return out;
    }

    /**
     * Encodes the given rows of a cleaned table into a row-major matrix of features. Works column by column, so
     * each input's type is dispatched once, not once per cell.
     */
    public float[] encode(Table table, int[] rows) {
        float[] matrix = new float[rows.length * features.size()];
        encode(table, rows, true, (index, value) -> matrix[index] = (float) value);
        return matrix;
    }

    /**
     * The target of the given rows as the model is trained and scored on it: the class index of each label, or
     * the scaled regression target.
     */
    public float[] encodeTargets(Table table, int[] rows) {
        Column column = table.column(target.name());
        float[] targets = new float[rows.length];
        for (int i = 0; i < rows.length; i++) {
            targets[i] = isClassification()
                    ? labelIndex(column.render(rows[i]))
                    : (float) scaleTarget(((NumericColumn) column).get(rows[i]));
        }
        return targets;
    }

    /** The given rows encoded without normalization, as an exported ONNX graph takes them. */
    public double[] encodeUnnormalized(Table table, int[] rows) {
        double[] matrix = new double[rows.length * features.size()];
        encode(table, rows, false, (index, value) -> matrix[index] = value);
        return matrix;
    }

    /** Where encoded cells go: a float matrix for training, a double one for export. */
    private interface CellSink {
        void put(int index, double value);
    }

    private void encode(Table table, int[] rows, boolean normalized, CellSink sink) {
        int width = features.size();
        double[] centers = new double[width];
        double[] scales = new double[width];
        for (int j = 0; j < width; j++) {
            centers[j] = normalized ? features.get(j).center() : 0;
            scales[j] = normalized ? features.get(j).scale() : 1;
        }
        int offset = 0;
        for (Input input : inputs) {
            Encoder encoder = new Encoder(input, table.column(input.name()));
            double[] raw = new double[input.width()];
            for (int i = 0; i < rows.length; i++) {
                encoder.write(rows[i], raw);
                int base = i * width + offset;
                for (int k = 0; k < raw.length; k++) {
                    sink.put(base + k, (raw[k] - centers[offset + k]) * scales[offset + k]);
                }
            }
            offset += input.width();
        }
    }

    /** Reads one table column's cells as unnormalized features, with categorical codes mapped to slots once. */
    private static final class Encoder {
        private final Input input;
        private final Column column;
        private final int[] slotOfCode;

        Encoder(Input input, Column column) {
            if (column.type() != input.type()) {
                throw CaravanException.badData("column '" + input.name() + "' is "
                        + column.type().id() + ", but the transform was fitted on a "
                        + input.type().id() + " column");
            }
            this.input = input;
            this.column = column;
            this.slotOfCode = column instanceof CategoricalColumn categorical ? slots(categorical) : null;
        }

        private int[] slots(CategoricalColumn categorical) {
            Map<String, Integer> slotOfLevel = new HashMap<>();
            for (int i = 0; i < input.vocabulary().size(); i++) {
                slotOfLevel.put(input.vocabulary().get(i), i);
            }
            int unknown = input.vocabulary().size();
            int[] slots = new int[categorical.levels().size()];
            for (int code = 0; code < slots.length; code++) {
                slots[code] = slotOfLevel.getOrDefault(categorical.levels().get(code), unknown);
            }
            return slots;
        }

        /** Writes the cell's features to {@code out[0, width)}. */
        void write(int row, double[] out) {
            if (column.isMissing(row)) {
                writeMissing(out);
            } else if (slotOfCode != null) {
                Arrays.fill(out, 0);
                out[slotOfCode[((CategoricalColumn) column).codes()[row]]] = 1;
            } else {
                writeScalar(input, ((NumericColumn) column).get(row), out, 0);
            }
        }

        private void writeMissing(double[] out) {
            if (input.type() == ColumnType.CATEGORICAL) {
                writeCategorical(input, input.impute(), out, 0);
            } else if (input.impute() == null) {
                throw CaravanException.badData(
                        "column '" + input.name() + "' has a missing cell and no imputation value");
            } else {
                writeScalar(input, parseScalar(input, input.impute()), out, 0);
            }
        }
    }

    private static boolean isBlank(Object value) {
        return value == null || (value instanceof String text && text.isBlank());
    }

    private static void writeCategorical(Input input, String level, double[] out, int offset) {
        Arrays.fill(out, offset, offset + input.width(), 0);
        int slot = level == null ? -1 : input.vocabulary().indexOf(level);
        out[offset + (slot < 0 ? input.vocabulary().size() : slot)] = 1;
    }

    /** Writes the unnormalized features of a numeric, boolean or date value (dates as epoch days). */
    private static void writeScalar(Input input, double value, double[] out, int offset) {
        if (input.type() != ColumnType.DATE) {
            out[offset] = value;
            return;
        }
        LocalDate date = LocalDate.ofEpochDay((long) value);
        out[offset] = value;
        out[offset + 1] = date.getMonthValue();
        out[offset + 2] = date.getDayOfMonth();
        Arrays.fill(out, offset + DATE_PARTS.length, offset + input.width(), 0);
        out[offset + DATE_PARTS.length + date.getDayOfWeek().ordinal()] = 1;
    }

    private static double parseScalar(Input input, Object value) {
        double parsed =
                switch (input.type()) {
                    case NUMERIC -> value instanceof Number number
                            ? number.doubleValue()
                            : parseNumber(value.toString());
                    case BOOLEAN -> value instanceof Boolean bool
                            ? (bool ? 1 : 0)
                            : value instanceof Number number
                                    ? number.doubleValue()
                                    : CellText.parseBoolean(value.toString());
                    case DATE -> CellText.parseDate(value.toString());
                    case CATEGORICAL -> throw new IllegalStateException("categorical columns are encoded as slots");
                };
        if (!Double.isFinite(parsed) || (input.type() == ColumnType.BOOLEAN && parsed != 0 && parsed != 1)) {
            throw CaravanException.badData("column '" + input.name() + "': '" + value + "' is not a valid "
                    + input.type().id() + " value");
        }
        return parsed;
    }

    private static double parseNumber(String text) {
        try {
            return Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
