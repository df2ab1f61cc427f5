package dev.caravan.data;

import java.util.Locale;
import java.util.Optional;

/**
 * The log transform a regression target is offered when it is strictly positive (in every split) and strongly
 * skewed (sample
 * skewness of at least {@value #MIN_SKEWNESS} on the training split, less once logged): the same splits with the
 * targets encoded as {@code (ln y - center) * scale}, the centre and scale those of {@code ln y} on the training
 * split. Models trained on it are scored, selected and exported in the target's own units.
 */
public final class LogTarget {
    static final double MIN_SKEWNESS = 1;

    /** The log-encoded splits, and why they are offered. */
    public record Offer(EncodedSplits encoded, String why) {}

    private LogTarget() {}

    public static Optional<Offer> of(EncodedSplits plain) {
        FittedTransform transform = plain.transform();
        if (transform.isClassification()) {
            return Optional.empty();
        }
        if (!positive(transform, plain.validation()) || !positive(transform, plain.test())) {
            return Optional.empty(); // a logarithm of 0 would make the validation loss or the test metrics infinite
        }
        double[] y = unscaled(transform, plain.train());
        double[] logs = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            if (!(y[i] > 0)) {
                return Optional.empty();
            }
            logs[i] = Math.log(y[i]);
        }
        double skewness = skewness(y);
        double logSkewness = skewness(logs);
        if (!(skewness >= MIN_SKEWNESS && Math.abs(logSkewness) < skewness)) {
            return Optional.empty();
        }
        double center = mean(logs);
        double deviation = Math.sqrt(variance(logs, center));
        FittedTransform logged = transform.withLogTarget(center, deviation > 0 ? 1 / deviation : 1);
        EncodedSplits encoded = new EncodedSplits(
                logged,
                reencode(transform, logged, plain.train()),
                reencode(transform, logged, plain.validation()),
                reencode(transform, logged, plain.test()));
        String why = String.format(
                Locale.ROOT,
                "'%s' is strictly positive and skewed (skewness %.2f on the training split, %.2f once logged)",
                transform.target().name(),
                skewness,
                logSkewness);
        return Optional.of(new Offer(encoded, why));
    }

    private static boolean positive(FittedTransform transform, FeatureMatrix matrix) {
        for (double y : unscaled(transform, matrix)) {
            if (!(y > 0)) {
                return false;
            }
        }
        return true;
    }

    private static double[] unscaled(FittedTransform transform, FeatureMatrix matrix) {
        double[] y = new double[matrix.rows()];
        for (int i = 0; i < y.length; i++) {
            y[i] = transform.unscaleTarget(matrix.targets()[i]);
        }
        return y;
    }

    private static FeatureMatrix reencode(FittedTransform plain, FittedTransform logged, FeatureMatrix matrix) {
        double[] y = unscaled(plain, matrix);
        float[] targets = new float[y.length];
        for (int i = 0; i < y.length; i++) {
            targets[i] = (float) logged.scaleTarget(y[i]);
        }
        return new FeatureMatrix(matrix.rows(), matrix.columns(), matrix.features(), targets);
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double value : values) {
            sum += value;
        }
        return sum / values.length;
    }

    private static double variance(double[] values, double mean) {
        double sum = 0;
        for (double value : values) {
            sum += (value - mean) * (value - mean);
        }
        return sum / values.length;
    }

    private static double skewness(double[] values) {
        double mean = mean(values);
        double variance = variance(values, mean);
        if (!(variance > 0)) {
            return 0;
        }
        double third = 0;
        for (double value : values) {
            third += Math.pow(value - mean, 3);
        }
        return third / values.length / Math.pow(variance, 1.5);
    }
}
