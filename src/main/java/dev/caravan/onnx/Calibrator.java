package dev.caravan.onnx;

import dev.caravan.data.CaravanException;
import dev.caravan.data.FittedTransform;
import dev.caravan.data.MlpWeights;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Finds the uint8 quantization of each dense layer's input by running the FP32 network in plain Java over
 * calibration rows. MinMax takes the observed range; Percentile clips it to the given percentile at each end,
 * so a few outliers do not waste the 256 levels. Ranges always include 0, so zero is exact. Each input's mean is
 * kept for bias correction.
 */
public final class Calibrator {
    public enum Method {
        MINMAX,
        PERCENTILE
    }

    private Calibrator() {}

    /**
     * The quantization of each dense layer's input, from its range over the calibration rows.
     *
     * @param rows unnormalized encoded features, row-major, {@code count} rows (as the ONNX graph takes them)
     * @param percentile for {@link Method#PERCENTILE}, e.g. 99.99: the upper percentile kept (and 100 minus it)
     */
    public static List<ActivationQuantization> calibrate(
            MlpWeights weights, FittedTransform transform, double[] rows, int count, Method method, double percentile) {
        if (count < 1) {
            throw CaravanException.badData("calibration needs at least one row");
        }
        int width = transform.featureCount();
        double[] activations = new double[count * width];
        for (int r = 0; r < count; r++) {
            for (int j = 0; j < width; j++) {
                FittedTransform.Feature feature = transform.features().get(j);
                activations[r * width + j] = (rows[r * width + j] - feature.center()) * feature.scale();
            }
        }
        List<ActivationQuantization> result = new ArrayList<>();
        List<MlpWeights.Dense> layers = weights.layers();
        for (int i = 0; i < layers.size(); i++) {
            result.add(quantization(
                    activations, method, percentile, i, count, layers.get(i).inputs()));
            activations = dense(layers.get(i), activations, count, i < layers.size() - 1 ? weights.activation() : null);
        }
        return result;
    }

    private static ActivationQuantization quantization(
            double[] values, Method method, double percentile, int layer, int count, int width) {
        double low;
        double high;
        if (method == Method.MINMAX) {
            low = Arrays.stream(values).min().orElseThrow();
            high = Arrays.stream(values).max().orElseThrow();
        } else {
            double[] sorted = values.clone();
            Arrays.sort(sorted);
            low = sorted[(int) Math.floor((100 - percentile) / 100 * (sorted.length - 1))];
            high = sorted[(int) Math.ceil(percentile / 100 * (sorted.length - 1))];
        }
        low = Math.min(low, 0);
        high = Math.max(high, 0);
        if (!(high > low)) {
            throw CaravanException.badData(String.format(
                    Locale.ROOT,
                    "calibration: the input of layer %d is constant"
                            + " (every value %s over %d rows), so it has no range to quantize",
                    layer + 1,
                    low,
                    count));
        }
        float scale = (float) ((high - low) / 255);
        int zeroPoint = (int) Math.max(0, Math.min(255, Math.round(-low / scale)));
        return new ActivationQuantization(scale, zeroPoint, low, high, columnMeans(values, count, width));
    }

    private static double[] columnMeans(double[] values, int count, int width) {
        double[] means = new double[width];
        for (int r = 0; r < count; r++) {
            for (int j = 0; j < width; j++) {
                means[j] += values[r * width + j] / count;
            }
        }
        return means;
    }

    private static double[] dense(MlpWeights.Dense layer, double[] input, int count, String activation) {
        double[] output = new double[count * layer.outputs()];
        for (int r = 0; r < count; r++) {
            for (int o = 0; o < layer.outputs(); o++) {
                double sum = layer.bias()[o];
                for (int j = 0; j < layer.inputs(); j++) {
                    sum += input[r * layer.inputs() + j] * layer.weight()[o * layer.inputs() + j];
                }
                output[r * layer.outputs() + o] = activation == null ? sum : activate(activation, sum);
            }
        }
        return output;
    }

    private static double activate(String activation, double x) {
        return switch (activation) {
            case "relu" -> Math.max(0, x);
            case "tanh" -> Math.tanh(x);
            case "gelu" -> 0.5 * x * (1 + erf(x / Math.sqrt(2)));
            default -> throw CaravanException.badData("activation '" + activation + "' cannot be calibrated");
        };
    }

    /** Abramowitz and Stegun 7.1.26 (error below 1.5e-7): plenty for a calibration range. */
    private static double erf(double x) {
        double t = 1 / (1 + 0.3275911 * Math.abs(x));
        double y = 1
                - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592)
                        * t
                        * Math.exp(-x * x);
        return Math.signum(x) * y;
    }
}
