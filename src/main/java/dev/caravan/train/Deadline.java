package dev.caravan.train;

/** When work stops at its next safe point (an epoch's end), on {@link System#nanoTime()}'s clock. */
public record Deadline(long nanos, boolean bounded) {
    /** Never passes. */
    public static final Deadline NONE = new Deadline(0, false);

    /** {@code seconds} from now. */
    public static Deadline in(double seconds) {
        return new Deadline(System.nanoTime() + (long) (seconds * 1e9), true);
    }

    public boolean passed() {
        return bounded && System.nanoTime() - nanos > 0;
    }

    /** Seconds until it passes (negative once it has); infinite when unbounded. */
    public double secondsLeft() {
        return bounded ? (nanos - System.nanoTime()) / 1e9 : Double.POSITIVE_INFINITY;
    }
}
