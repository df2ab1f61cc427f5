package dev.caravan.transform;

import dev.caravan.data.CaravanException;
import dev.caravan.data.CategoricalColumn;
import dev.caravan.data.Column;
import dev.caravan.data.ColumnType;
import dev.caravan.data.EncodedSplits;
import dev.caravan.data.FeatureMatrix;
import dev.caravan.data.FittedTransform;
import dev.caravan.data.FittedTransform.Feature;
import dev.caravan.data.FittedTransform.Input;
import dev.caravan.data.FittedTransform.Target;
import dev.caravan.data.NumericColumn;
import dev.caravan.data.Split;
import dev.caravan.data.Table;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Fits a {@link FittedTransform} on the training rows of a cleaned table and encodes all three splits with it.
 * Statistics (vocabularies, min/max, mean/std, target scaling) come from the training split only, so validation
 * and test stay unseen; the target's labels come from all rows, as the label set is not a statistic.
 */
public final class TransformFitter {
    private final String target;
    private final boolean classification;
    private final NormalizationMethod method;
    private final double low;
    private final double high;
    private final Map<String, String> imputed;
    private final int maxCategories;

    private TransformFitter(Builder builder) {
        this.target = builder.target;
        this.classification = builder.classification;
        this.method = builder.method;
        this.low = builder.low;
        this.high = builder.high;
        this.imputed = Map.copyOf(builder.imputed);
        this.maxCategories = builder.maxCategories;
    }

    public static Builder builder() {
        return new Builder();
    }

    public EncodedSplits fitAndEncode(Table table, Split split) {
        Column targetColumn = table.column(target);
        Target fittedTarget = classification ? labels(targetColumn) : scaling(targetColumn, split.train());
        List<Input> inputs = new ArrayList<>();
        for (Column column : table.columns()) {
            if (!column.name().equals(target)) {
                inputs.add(new Input(
                        column.name(),
                        column.type(),
                        imputed.get(column.name()),
                        column instanceof CategoricalColumn categorical
                                ? vocabulary(categorical, split.train())
                                : null));
            }
        }
        List<Feature> features = fitFeatures(table, inputs, split.train());
        FittedTransform transform = new FittedTransform(
                FittedTransform.FORMAT_VERSION,
                classification ? "classification" : "regression",
                method.id(),
                method == NormalizationMethod.MINMAX ? List.of(low, high) : null,
                inputs,
                features,
                fittedTarget);
        return new EncodedSplits(
                transform,
                encode(transform, table, split.train()),
                encode(transform, table, split.validation()),
                encode(transform, table, split.test()));
    }

    private Target labels(Column column) {
        TreeSet<String> labels = new TreeSet<>();
        for (int row = 0; row < column.size(); row++) {
            labels.add(column.render(row));
        }
        if (labels.size() < 2) {
            throw CaravanException.badData("target '" + target + "' has only one class (" + String.join(", ", labels)
                    + ") after cleaning; classification needs at least two");
        }
        return new Target(target, column.type(), List.copyOf(labels), null, null, null);
    }

    private Target scaling(Column column, int[] trainRows) {
        if (column.type() != ColumnType.NUMERIC) {
            throw CaravanException.badData("target '" + target + "' is "
                    + column.type().id() + ": regression needs a numeric target (use task: classification)");
        }
        double[] values = ((NumericColumn) column).values();
        Moments moments = new Moments();
        for (int row : trainRows) {
            moments.add(values[row]);
        }
        return new Target(target, column.type(), null, moments.mean(), 1 / moments.nonZeroStd(), null);
    }

    /** The training split's levels: the most frequent {@code maxCategories}, in alphabetical order. */
    private List<String> vocabulary(CategoricalColumn column, int[] trainRows) {
        int[] counts = new int[column.levels().size()];
        for (int row : trainRows) {
            int code = column.codes()[row];
            if (code != CategoricalColumn.MISSING) {
                counts[code]++;
            }
        }
        List<Integer> seen = new ArrayList<>();
        for (int code = 0; code < counts.length; code++) {
            if (counts[code] > 0) {
                seen.add(code);
            }
        }
        seen.sort(Comparator.comparingInt((Integer code) -> -counts[code]).thenComparing(column.levels()::get));
        TreeSet<String> kept = new TreeSet<>();
        for (int code : seen.subList(0, Math.min(maxCategories, seen.size()))) {
            kept.add(column.levels().get(code));
        }
        return List.copyOf(kept);
    }

    /** Encodes the training rows without scaling, then fits each scaled feature's center and scale on them. */
    private List<Feature> fitFeatures(Table table, List<Input> inputs, int[] trainRows) {
        List<Feature> identity = new ArrayList<>();
        for (Input input : inputs) {
            for (String name : input.featureNames()) {
                identity.add(new Feature(name, input.name(), 0, 1));
            }
        }
        FittedTransform unscaled =
                new FittedTransform(FittedTransform.FORMAT_VERSION, "", method.id(), null, inputs, identity, null);
        float[] raw = unscaled.encode(table, trainRows);
        int width = identity.size();
        List<Feature> features = new ArrayList<>(width);
        int j = 0;
        for (Input input : inputs) {
            for (int part = 0; part < input.width(); part++, j++) {
                Feature feature = identity.get(j);
                features.add(input.isScaled(part) ? fit(feature, raw, j, width) : feature);
            }
        }
        return features;
    }

    private Feature fit(Feature feature, float[] raw, int column, int width) {
        Moments moments = new Moments();
        for (int i = column; i < raw.length; i += width) {
            moments.add(raw[i]);
        }
        if (method == NormalizationMethod.ZSCORE) {
            return new Feature(feature.name(), feature.input(), moments.mean(), 1 / moments.nonZeroStd());
        }
        double span = moments.max - moments.min;
        double scale = span > 0 ? (high - low) / span : 1; // a constant column maps to `low`, never divides by 0
        return new Feature(feature.name(), feature.input(), moments.min - low / scale, scale);
    }

    private static FeatureMatrix encode(FittedTransform transform, Table table, int[] rows) {
        return new FeatureMatrix(
                rows.length,
                transform.featureCount(),
                transform.encode(table, rows),
                transform.encodeTargets(table, rows));
    }

    /** Running min, max, mean and (population) variance, by Welford's method. */
    private static final class Moments {
        private long count;
        private double mean;
        private double squares;
        private double min = Double.POSITIVE_INFINITY;
        private double max = Double.NEGATIVE_INFINITY;

        void add(double value) {
            count++;
            double delta = value - mean;
            mean += delta / count;
            squares += delta * (value - mean);
            min = Math.min(min, value);
            max = Math.max(max, value);
        }

        double mean() {
            return mean;
        }

        /** The standard deviation, or 1 for a constant column so that scaling never divides by zero. */
        double nonZeroStd() {
            double std = count > 0 ? Math.sqrt(squares / count) : 0;
            return std > 0 ? std : 1;
        }
    }

    /** Builds a {@link TransformFitter}: {@code setTarget} and {@code setClassification} are required. */
    public static final class Builder {
        private String target;
        private Boolean classificationSet;
        private boolean classification;
        private NormalizationMethod method = NormalizationMethod.MINMAX;
        private double low = 0;
        private double high = 1;
        private Map<String, String> imputed = Map.of();
        private int maxCategories = 100;

        private Builder() {}

        public Builder setTarget(String target) {
            this.target = target;
            return this;
        }

        public Builder setClassification(boolean classification) {
            this.classificationSet = Boolean.TRUE;
            this.classification = classification;
            return this;
        }

        public Builder optMethod(NormalizationMethod method) {
            this.method = method;
            return this;
        }

        /** The min-max interval: [0, 1] (default) or [-1, 1]. */
        public Builder optRange(double low, double high) {
            this.low = low;
            this.high = high;
            return this;
        }

        /** The fill value of each column, as cleaning imputed it, so that serving fills missing cells alike. */
        public Builder optImputed(Map<String, String> imputed) {
            this.imputed = imputed;
            return this;
        }

        /** The most one-hot slots per categorical column; rarer levels share the unknown slot (default 100). */
        public Builder optMaxCategories(int maxCategories) {
            this.maxCategories = maxCategories;
            return this;
        }

        public TransformFitter build() {
            if (target == null || classificationSet == null) {
                throw new IllegalArgumentException("TransformFitter needs setTarget and setClassification");
            }
            if (!(low < high)) {
                throw new IllegalArgumentException(
                        "min-max range must have low < high, got [" + low + ", " + high + "]");
            }
            if (maxCategories < 1) {
                throw new IllegalArgumentException("maxCategories must be at least 1, got " + maxCategories);
            }
            return new TransformFitter(this);
        }
    }
}
