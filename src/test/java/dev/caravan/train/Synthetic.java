package dev.caravan.train;

import dev.caravan.data.FeatureMatrix;
import java.util.SplittableRandom;

/** Small synthetic data sets with a known function, for training tests. */
final class Synthetic {
    private Synthetic() {}

    /** y = sin(2 x0) + x1² - 0.5 x2, inputs uniform in [-1, 1], no noise. */
    static FeatureMatrix regression(int rows, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[rows * 3];
        float[] y = new float[rows];
        for (int i = 0; i < rows; i++) {
            double a = random.nextDouble(-1, 1);
            double b = random.nextDouble(-1, 1);
            double c = random.nextDouble(-1, 1);
            x[i * 3] = (float) a;
            x[i * 3 + 1] = (float) b;
            x[i * 3 + 2] = (float) c;
            y[i] = (float) (Math.sin(2 * a) + b * b - 0.5 * c);
        }
        return new FeatureMatrix(rows, 3, x, y);
    }

    /** Three classes by angle around the origin (not linearly separable from one logit), class 0 the largest. */
    static FeatureMatrix classification(int rows, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[rows * 2];
        float[] y = new float[rows];
        for (int i = 0; i < rows; i++) {
            double a = random.nextDouble(-1, 1);
            double b = random.nextDouble(-1, 1);
            x[i * 2] = (float) a;
            x[i * 2 + 1] = (float) b;
            double radius = Math.hypot(a, b);
            y[i] = radius < 0.5 ? 1 : (a > 0 ? 0 : 2);
        }
        return new FeatureMatrix(rows, 2, x, y);
    }
}
