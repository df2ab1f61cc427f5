package dev.caravan.data;

import java.util.SplittableRandom;

/**
 * Fisher–Yates shuffles drawn from a generator the caller owns, so that every seeded step of a run (the split,
 * the batch order, candidate sampling, calibration rows) is reproducible and independent of other runs.
 */
public final class Shuffle {
    private Shuffle() {}

    /** Shuffles {@code values} in place. */
    public static void inPlace(int[] values, SplittableRandom random) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = values[i];
            values[i] = values[j];
            values[j] = swap;
        }
    }

    /** {@code 0 .. size-1} in a random order. */
    public static int[] permutation(int size, SplittableRandom random) {
        int[] values = new int[size];
        for (int i = 0; i < size; i++) {
            values[i] = i;
        }
        inPlace(values, random);
        return values;
    }
}
