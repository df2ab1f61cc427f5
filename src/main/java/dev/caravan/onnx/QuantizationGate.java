package dev.caravan.onnx;

import java.util.Locale;

/**
 * Decides which artifact to deploy. INT8 must first lose at most the allowed relative accuracy; then a real
 * speed-up ships it and a real slow-down keeps FP32. When the latencies are a tie ({@link LatencyComparison}), the
 * more accurate model wins, and at equal accuracy the smaller; the reason records the tie. So one model on one
 * machine gets the same decision from run to run, whatever the noise in its timings.
 */
public final class QuantizationGate {
    /** The decision and why, with the numbers. */
    public record Decision(
            String chosen,
            boolean accuracyPassed,
            LatencyComparison.Verdict latency,
            double relativeLoss,
            String reason) {}

    private QuantizationGate() {}

    /**
     * @param higherIsBetter true for accuracy, false for errors such as RMSE
     * @param tolerance the allowed relative loss, e.g. 0.01
     */
    public static Decision decide(
            String metric,
            boolean higherIsBetter,
            double fp32,
            double int8,
            double tolerance,
            LatencyComparison latency) {
        double loss = (higherIsBetter ? fp32 - int8 : int8 - fp32) / Math.max(Math.abs(fp32), 1e-12);
        boolean accurate = loss <= tolerance;
        String numbers = String.format(
                Locale.ROOT,
                "%s %.4f vs fp32 %.4f (relative loss %.2f%%, allowed %.2f%%); %s",
                metric,
                int8,
                fp32,
                loss * 100,
                tolerance * 100,
                latency.describe());
        String chosen;
        String reason;
        if (!accurate) {
            chosen = "fp32";
            reason = "fp32 kept: int8 fails the accuracy gate: " + numbers;
        } else if (latency.verdict() == LatencyComparison.Verdict.FASTER) {
            chosen = "int8";
            reason = "int8 chosen: " + numbers;
        } else if (latency.verdict() == LatencyComparison.Verdict.SLOWER) {
            chosen = "fp32";
            reason = "fp32 kept: int8 is slower: " + numbers;
        } else if (loss <= 0) {
            chosen = "int8";
            reason = "int8 chosen: latency is a tie and int8 is as accurate and smaller: " + numbers;
        } else {
            chosen = "fp32";
            reason = "fp32 kept: latency is a tie and fp32 is more accurate: " + numbers;
        }
        return new Decision(chosen, accurate, latency.verdict(), loss, reason);
    }
}
