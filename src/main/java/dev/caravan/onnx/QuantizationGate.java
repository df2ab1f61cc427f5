package dev.caravan.onnx;

import java.util.Locale;

/**
 * Decides which artifact to deploy: INT8 only if its test metric is within the allowed relative loss of FP32's
 * and it is not slower at the configured batch size; otherwise FP32, with the failed check and its numbers.
 */
public final class QuantizationGate {
    /** The decision and why, with the numbers. */
    public record Decision(
            String chosen, boolean accuracyPassed, boolean latencyPassed, double relativeLoss, String reason) {}

    private QuantizationGate() {}

    /**
     * Keeps INT8 only when it loses at most the tolerance and is not slower at the batch size.
     *
     * @param higherIsBetter true for accuracy, false for errors such as RMSE
     * @param tolerance the allowed relative loss, e.g. 0.01
     */
    public static Decision decide(
            String metric,
            boolean higherIsBetter,
            double fp32,
            double int8,
            double tolerance,
            int batch,
            double fp32Millis,
            double int8Millis) {
        double loss = (higherIsBetter ? fp32 - int8 : int8 - fp32) / Math.max(Math.abs(fp32), 1e-12);
        boolean accurate = loss <= tolerance;
        boolean fast = int8Millis <= fp32Millis;
        String numbers = String.format(
                Locale.ROOT,
                "%s %.4f vs fp32 %.4f (relative loss %.2f%%, allowed %.2f%%);"
                        + " batch %d latency %.3f ms vs fp32 %.3f ms",
                metric,
                int8,
                fp32,
                loss * 100,
                tolerance * 100,
                batch,
                int8Millis,
                fp32Millis);
        String reason;
        if (!accurate) {
            reason = "fp32 kept: int8 fails the accuracy gate: " + numbers;
        } else if (!fast) {
            reason = "fp32 kept: int8 is slower: " + numbers;
        } else {
            reason = "int8 chosen: " + numbers;
        }
        return new Decision(accurate && fast ? "int8" : "fp32", accurate, fast, loss, reason);
    }
}
