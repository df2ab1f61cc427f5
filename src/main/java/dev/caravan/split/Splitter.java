package dev.caravan.split;

import dev.caravan.data.CaravanException;
import dev.caravan.data.CategoricalColumn;
import dev.caravan.data.Column;
import dev.caravan.data.NumericColumn;
import dev.caravan.data.Shuffle;
import dev.caravan.data.Split;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Splits rows into train, validation and test with a seeded shuffle (default 70/15/15, seed 42). Stratified, each
 * class is shuffled and cut on its own, so every split keeps the class proportions.
 */
public final class Splitter {
    private final double train;
    private final double validation;
    private final double test;
    private final long seed;

    private Splitter(Builder builder) {
        this.train = builder.train;
        this.validation = builder.validation;
        this.test = builder.test;
        this.seed = builder.seed;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Splits the rows of {@code target}'s table; {@code stratify} groups them by the target's value. */
    public Split split(Column target, boolean stratify) {
        int rows = target.size();
        List<int[]> groups = stratify ? rowsByClass(target) : List.of(allRows(rows));
        SplittableRandom random = new SplittableRandom(seed);
        IntList trainRows = new IntList();
        IntList validationRows = new IntList();
        IntList testRows = new IntList();
        for (int[] group : groups) {
            Shuffle.inPlace(group, random);
            int[] counts = allocate(group.length);
            int trainCount = counts[0];
            int validationCount = counts[1];
            trainRows.addAll(group, 0, trainCount);
            validationRows.addAll(group, trainCount, trainCount + validationCount);
            testRows.addAll(group, trainCount + validationCount, group.length);
        }
        checkNotEmpty("train", trainRows, rows);
        checkNotEmpty("validation", validationRows, rows);
        checkNotEmpty("test", testRows, rows);
        return new Split(trainRows.sorted(), validationRows.sorted(), testRows.sorted(), seed, stratify);
    }

    private void checkNotEmpty(String name, IntList rows, int total) {
        if (rows.size == 0) {
            throw CaravanException.badData(String.format(
                    Locale.ROOT,
                    "the %s split is empty: %d cleaned rows are too few for a %.0f/%.0f/%.0f split",
                    name,
                    total,
                    train * 100,
                    validation * 100,
                    test * 100));
        }
    }

    /**
     * Train, validation and test counts for {@code rows}: floors of the exact shares, then the rows left over go
     * to the largest fractions. A class of 5 rows splits 3/1/1, not 4/1/0.
     */
    private int[] allocate(int rows) {
        double[] exact = {rows * train, rows * validation, rows * test};
        int[] counts = new int[3];
        int left = rows;
        for (int k = 0; k < 3; k++) {
            counts[k] = (int) Math.floor(exact[k]);
            left -= counts[k];
        }
        for (; left > 0; left--) {
            int best = 0;
            for (int k = 1; k < 3; k++) {
                if (exact[k] - counts[k] > exact[best] - counts[best]) {
                    best = k;
                }
            }
            counts[best]++;
        }
        return counts;
    }

    private static int[] allRows(int rows) {
        int[] all = new int[rows];
        Arrays.setAll(all, i -> i);
        return all;
    }

    /** Row indices grouped by class, classes in order of first appearance. */
    private static List<int[]> rowsByClass(Column target) {
        Map<Long, IntList> byClass = new LinkedHashMap<>();
        for (int row = 0; row < target.size(); row++) {
            long key = target instanceof CategoricalColumn categorical
                    ? categorical.codes()[row]
                    : Double.doubleToLongBits(((NumericColumn) target).get(row));
            byClass.computeIfAbsent(key, k -> new IntList()).add(row);
        }
        List<int[]> groups = new ArrayList<>();
        for (IntList rows : byClass.values()) {
            groups.add(Arrays.copyOf(rows.values, rows.size));
        }
        return groups;
    }

    /** A growable int array. */
    private static final class IntList {
        private int[] values = new int[16];
        private int size;

        void add(int value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        void addAll(int[] source, int from, int to) {
            for (int i = from; i < to; i++) {
                add(source[i]);
            }
        }

        int[] sorted() {
            int[] result = Arrays.copyOf(values, size);
            Arrays.sort(result);
            return result;
        }
    }

    /** Builds a {@link Splitter}; every setting is optional. */
    public static final class Builder {
        private double train = 0.70;
        private double validation = 0.15;
        private double test = 0.15;
        private long seed = 42;

        private Builder() {}

        /** The three shares; each must be above 0 and together they must make 1. */
        public Builder optFractions(double train, double validation, double test) {
            this.train = train;
            this.validation = validation;
            this.test = test;
            return this;
        }

        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        public Splitter build() {
            if (!(train > 0 && validation > 0 && test > 0) || Math.abs(train + validation + test - 1) > 1e-9) {
                throw new IllegalArgumentException(String.format(
                        Locale.ROOT,
                        "split fractions must each be above 0 and add up to 1, got train %s, validation %s, test %s",
                        train,
                        validation,
                        test));
            }
            return new Splitter(this);
        }
    }
}
