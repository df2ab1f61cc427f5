package dev.caravan.testing;

import dev.caravan.data.ColumnType;
import dev.caravan.data.FeatureMatrix;
import dev.caravan.data.FittedTransform;
import java.util.ArrayList;
import java.util.List;
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
}
