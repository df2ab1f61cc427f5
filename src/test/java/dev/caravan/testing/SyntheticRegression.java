package dev.caravan.testing;

import dev.caravan.data.ColumnType;
import dev.caravan.data.FeatureMatrix;
import dev.caravan.data.FittedTransform;
import dev.caravan.data.MlpWeights;
import dev.caravan.onnx.OnnxExporter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** A smooth synthetic regression over numeric features in [-1, 1], with a transform that leaves them as they are. */
public final class SyntheticRegression {
    private SyntheticRegression() {}

    /** y = sum over j of sin((j + 1) x_j) / (j + 1). */
    public static FeatureMatrix data(int rows, int features, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[rows * features];
        float[] y = new float[rows];
        for (int r = 0; r < rows; r++) {
            double sum = 0;
            for (int j = 0; j < features; j++) {
                x[r * features + j] = (float) random.nextDouble(-1, 1);
                sum += Math.sin(x[r * features + j] * (j + 1)) / (j + 1);
            }
            y[r] = (float) sum;
        }
        return new FeatureMatrix(rows, features, x, y);
    }

    /** Float features as the doubles an exported graph takes. */
    public static double[] doubles(float[] values) {
        double[] result = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            result[i] = values[i];
        }
        return result;
    }

    /** A regression transform with identity normalization and target scaling: features enter graphs as they are. */
    public static FittedTransform identityTransform(int features) {
        List<FittedTransform.Input> inputs = new ArrayList<>();
        List<FittedTransform.Feature> layout = new ArrayList<>();
        for (int j = 0; j < features; j++) {
            inputs.add(new FittedTransform.Input("x" + j, ColumnType.NUMERIC, null, null));
            layout.add(new FittedTransform.Feature("x" + j, "x" + j, 0, 1));
        }
        return new FittedTransform(
                FittedTransform.FORMAT_VERSION,
                "regression",
                "minmax",
                List.of(0.0, 1.0),
                inputs,
                layout,
                new FittedTransform.Target("y", ColumnType.NUMERIC, null, 0.0, 1.0, null));
    }

    /** A small regression network ({@code width}-4-1, fixed weights) exported as any trained one is. */
    public static byte[] onnx(int width) {
        float[] hidden = new float[width * 4];
        for (int i = 0; i < hidden.length; i++) {
            hidden[i] = (i % 5 - 2) / 4f;
        }
        MlpWeights weights = new MlpWeights(
                "relu",
                List.of(
                        new MlpWeights.Dense(width, 4, hidden, new float[4]),
                        new MlpWeights.Dense(4, 1, new float[] {0.5f, -0.25f, 0.75f, 1f}, new float[] {0.1f})));
        return OnnxExporter.exportFp32(List.of(weights), identityTransform(width), Map.of());
    }
}
