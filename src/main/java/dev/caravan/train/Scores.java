package dev.caravan.train;

import dev.caravan.data.FittedTransform;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Losses and test metrics computed in plain Java from model outputs, so that every number the pipeline records
 * comes from one definition. Regression metrics are in the target's own units.
 */
public final class Scores {
    public static final String RMSE = "rmse";
    public static final String MAE = "mae";
    public static final String R2 = "r2";
    public static final String ACCURACY = "accuracy";
    public static final String LOG_LOSS = "logLoss";
    public static final String MACRO_F1 = "macroF1";
    public static final String ROC_AUC = "rocAuc";
    /** Every test metric a model version records (ROC-AUC for two classes only). */
    public static final List<String> TEST_METRICS = List.of(RMSE, MAE, R2, ACCURACY, LOG_LOSS, MACRO_F1, ROC_AUC);

    private Scores() {}

    /** What a model's outputs are: the network's own, or the exported graph's. */
    public enum Outputs {
        /** The network's: logits, or the regression target as scaled for training. */
        RAW,
        /** The ONNX graph's: class probabilities, or the target in its own units. */
        SERVED
    }

    /** The network's raw outputs as the exported graph gives them: probabilities, or the target in its units. */
    public static float[] served(FittedTransform transform, float[] rawOutputs) {
        if (transform.isClassification()) {
            return softmax(rawOutputs, transform.target().labels().size());
        }
        float[] unscaled = new float[rawOutputs.length];
        for (int i = 0; i < rawOutputs.length; i++) {
            unscaled[i] = (float) transform.unscaleTarget(rawOutputs[i]);
        }
        return unscaled;
    }

    /**
     * The test metrics of a model's outputs on rows whose targets {@code transform} encoded (see
     * {@link FittedTransform#encodeTargets}): classification or regression metrics, the latter in the target's
     * units.
     */
    public static Map<String, Double> test(
            FittedTransform transform, float[] outputs, Outputs kind, float[] encodedTargets) {
        if (transform.isClassification()) {
            int classes = transform.target().labels().size();
            return classification(kind == Outputs.RAW ? softmax(outputs, classes) : outputs, encodedTargets, classes);
        }
        double[] predicted = new double[encodedTargets.length];
        double[] actual = new double[encodedTargets.length];
        for (int i = 0; i < actual.length; i++) {
            predicted[i] = kind == Outputs.RAW ? transform.unscaleTarget(outputs[i]) : outputs[i];
            actual[i] = transform.unscaleTarget(encodedTargets[i]);
        }
        return regression(predicted, actual);
    }

    /** Mean squared error (scaled units), as the MSE loss trains it. */
    public static double meanSquaredError(float[] predicted, float[] actual) {
        double sum = 0;
        for (int i = 0; i < actual.length; i++) {
            double error = predicted[i] - actual[i];
            sum += error * error;
        }
        return sum / actual.length;
    }

    public static double meanAbsoluteError(float[] predicted, float[] actual) {
        double sum = 0;
        for (int i = 0; i < actual.length; i++) {
            sum += Math.abs(predicted[i] - actual[i]);
        }
        return sum / actual.length;
    }

    /** Mean cross-entropy of the true classes under softmax probabilities (row-major, {@code classes} wide). */
    public static double logLoss(float[] probabilities, float[] labels, int classes) {
        double sum = 0;
        for (int i = 0; i < labels.length; i++) {
            double p = probabilities[i * classes + (int) labels[i]];
            sum -= Math.log(Math.max(p, 1e-15));
        }
        return sum / labels.length;
    }

    /** Softmax over each row of logits. */
    public static float[] softmax(float[] logits, int classes) {
        float[] probabilities = new float[logits.length];
        for (int row = 0; row < logits.length / classes; row++) {
            int base = row * classes;
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < classes; k++) {
                max = Math.max(max, logits[base + k]);
            }
            double total = 0;
            for (int k = 0; k < classes; k++) {
                total += Math.exp(logits[base + k] - max);
            }
            for (int k = 0; k < classes; k++) {
                probabilities[base + k] = (float) (Math.exp(logits[base + k] - max) / total);
            }
        }
        return probabilities;
    }

    public static int[] argmax(float[] probabilities, int classes) {
        int[] predicted = new int[probabilities.length / classes];
        for (int row = 0; row < predicted.length; row++) {
            int best = 0;
            for (int k = 1; k < classes; k++) {
                if (probabilities[row * classes + k] > probabilities[row * classes + best]) {
                    best = k;
                }
            }
            predicted[row] = best;
        }
        return predicted;
    }

    public static double accuracy(float[] probabilities, float[] labels, int classes) {
        int[] predicted = argmax(probabilities, classes);
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            correct += predicted[i] == (int) labels[i] ? 1 : 0;
        }
        return (double) correct / labels.length;
    }

    /** RMSE, MAE and R² of predictions already in the target's units. */
    public static Map<String, Double> regression(double[] predicted, double[] actual) {
        double mean = Arrays.stream(actual).average().orElse(0);
        double squared = 0;
        double absolute = 0;
        double total = 0;
        for (int i = 0; i < actual.length; i++) {
            double error = predicted[i] - actual[i];
            squared += error * error;
            absolute += Math.abs(error);
            total += (actual[i] - mean) * (actual[i] - mean);
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put(RMSE, Math.sqrt(squared / actual.length));
        metrics.put(MAE, absolute / actual.length);
        metrics.put(R2, total > 0 ? 1 - squared / total : 0);
        return metrics;
    }

    /** Accuracy, log-loss, macro-F1, and ROC-AUC when there are two classes. */
    public static Map<String, Double> classification(float[] probabilities, float[] labels, int classes) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put(ACCURACY, accuracy(probabilities, labels, classes));
        metrics.put(LOG_LOSS, logLoss(probabilities, labels, classes));
        metrics.put(MACRO_F1, macroF1(argmax(probabilities, classes), labels, classes));
        if (classes == 2) {
            metrics.put(ROC_AUC, rocAuc(probabilities, labels));
        }
        return metrics;
    }

    static double macroF1(int[] predicted, float[] labels, int classes) {
        double sum = 0;
        for (int k = 0; k < classes; k++) {
            int truePositives = 0;
            int falsePositives = 0;
            int falseNegatives = 0;
            for (int i = 0; i < labels.length; i++) {
                boolean actual = (int) labels[i] == k;
                boolean guessed = predicted[i] == k;
                truePositives += actual && guessed ? 1 : 0;
                falsePositives += !actual && guessed ? 1 : 0;
                falseNegatives += actual && !guessed ? 1 : 0;
            }
            int denominator = 2 * truePositives + falsePositives + falseNegatives;
            sum += denominator == 0 ? 0 : 2.0 * truePositives / denominator;
        }
        return sum / classes;
    }

    /** The probability that a random positive (class 1) scores above a random negative; ties count half. */
    static double rocAuc(float[] probabilities, float[] labels) {
        int n = labels.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Float.compare(probabilities[a * 2 + 1], probabilities[b * 2 + 1]));
        double rankSum = 0;
        long positives = 0;
        for (int i = 0; i < n; ) {
            int j = i;
            while (j + 1 < n && probabilities[order[j + 1] * 2 + 1] == probabilities[order[i] * 2 + 1]) {
                j++;
            }
            double averageRank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if ((int) labels[order[k]] == 1) {
                    rankSum += averageRank;
                    positives++;
                }
            }
            i = j + 1;
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        return (rankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }
}
