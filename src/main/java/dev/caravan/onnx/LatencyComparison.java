package dev.caravan.onnx;

import java.util.Arrays;
import java.util.Locale;

/**
 * INT8's latency against FP32's, from rounds measured in turn (one median of FP32 calls, one of INT8 calls, which
 * goes first alternating by round), so that drifts in machine load touch both alike. The verdict is {@link
 * Verdict#FASTER} or {@link Verdict#SLOWER} only when the median ratio is beyond the margin and three rounds in
 * four agree on the side; anything closer is a {@link Verdict#TIE}, which noise cannot flip.
 *
 * @param ratio the median over rounds of INT8's time divided by FP32's
 */
public record LatencyComparison(
        int batch, double fp32Millis, double int8Millis, double ratio, int rounds, double margin, Verdict verdict) {
    public enum Verdict {
        FASTER,
        SLOWER,
        TIE
    }

    /**
     * The relative difference below which latencies count as equal: a smaller speed-up is within what load and a
     * change of machine do to the ratio, and does not pay for an approximate model.
     */
    public static final double MARGIN = 0.15;

    public static final int ROUNDS = 9;

    /** The comparison of paired rounds: {@code fp32[k]} and {@code int8[k]} were measured one after the other. */
    public static LatencyComparison of(int batch, double[] fp32, double[] int8, double margin) {
        if (fp32.length != int8.length || fp32.length == 0) {
            throw new IllegalArgumentException(fp32.length + " FP32 rounds against " + int8.length + " INT8 rounds");
        }
        double[] ratios = new double[fp32.length];
        for (int k = 0; k < ratios.length; k++) {
            ratios[k] = int8[k] / fp32[k];
        }
        double ratio = quantile(ratios, 0.5);
        Verdict verdict;
        if (ratio <= 1 - margin && quantile(ratios, 0.75) < 1) {
            verdict = Verdict.FASTER;
        } else if (ratio >= 1 + margin && quantile(ratios, 0.25) > 1) {
            verdict = Verdict.SLOWER;
        } else {
            verdict = Verdict.TIE;
        }
        return new LatencyComparison(
                batch, quantile(fp32, 0.5), quantile(int8, 0.5), ratio, ratios.length, margin, verdict);
    }

    /** Measures both sessions in turn at a batch size; {@code rows} holds at least {@code batch} rows. */
    public static LatencyComparison measure(
            OrtModel fp32, OrtModel int8, double[] rows, int batch, int rounds, int iterations) {
        double[][] millis = new double[2][rounds];
        for (int round = 0; round < rounds; round++) {
            for (int k = 0; k < 2; k++) {
                int side = (k + round) % 2; // 0: FP32, 1: INT8
                OrtModel model = side == 0 ? fp32 : int8;
                millis[side][round] = model.medianLatencyMillis(rows, batch, Math.max(5, iterations / 5), iterations);
            }
        }
        return of(batch, millis[0], millis[1], MARGIN);
    }

    /** In words, e.g. "batch 256 latency 0.145 ms vs fp32 0.334 ms (ratio 0.43 over 9 rounds: faster)". */
    public String describe() {
        return String.format(
                Locale.ROOT,
                "batch %d latency %.3f ms vs fp32 %.3f ms (median ratio %.2f over %d rounds: %s)",
                batch,
                int8Millis,
                fp32Millis,
                ratio,
                rounds,
                switch (verdict) {
                    case FASTER -> "faster";
                    case SLOWER -> "slower";
                    case TIE -> String.format(Locale.ROOT, "a tie, within %.0f%%", margin * 100);
                });
    }

    private static double quantile(double[] values, double q) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.round(q * (sorted.length - 1))];
    }
}
