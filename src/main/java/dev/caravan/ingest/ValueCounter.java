package dev.caravan.ingest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Counts distinct doubles without boxing (open addressing on the bit patterns), up to a cap: past it the column
 * has "many" values, and counting on would cost memory for no use.
 */
final class ValueCounter {
    private final int cap;
    private final long[] keys;
    private final int[] counts;
    private final boolean[] used;
    private int distinct;
    private boolean overflowed;

    ValueCounter(int cap) {
        this.cap = cap;
        int slots = Integer.highestOneBit(cap * 2) * 2;
        keys = new long[slots];
        counts = new int[slots];
        used = new boolean[slots];
    }

    /** Counts a value; false once the cap is passed (the counter then stops). */
    boolean add(double value) {
        long bits = Double.doubleToLongBits(value + 0.0); // folds -0.0 into 0.0
        int mask = keys.length - 1;
        int slot = (int) (mix(bits) & mask);
        while (used[slot] && keys[slot] != bits) {
            slot = (slot + 1) & mask;
        }
        if (!used[slot]) {
            if (distinct == cap) {
                overflowed = true;
                return false;
            }
            used[slot] = true;
            keys[slot] = bits;
            distinct++;
        }
        counts[slot]++;
        return true;
    }

    /** MurmurHash3's finalizer: whole numbers as doubles differ only in high bits, which it spreads down. */
    private static long mix(long bits) {
        long h = bits ^ (bits >>> 33);
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        return h ^ (h >>> 33);
    }

    int distinct() {
        return distinct;
    }

    boolean overflowed() {
        return overflowed;
    }

    /** The slots of the most frequent values, most frequent first (ties by value). */
    List<Integer> topSlots(int n) {
        List<Integer> slots = new ArrayList<>();
        for (int slot = 0; slot < keys.length; slot++) {
            if (used[slot]) {
                slots.add(slot);
            }
        }
        slots.sort(Comparator.comparingInt((Integer slot) -> -counts[slot]).thenComparingDouble(this::value));
        return slots.subList(0, Math.min(n, slots.size()));
    }

    double value(int slot) {
        return Double.longBitsToDouble(keys[slot]);
    }

    int count(int slot) {
        return counts[slot];
    }
}
