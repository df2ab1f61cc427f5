package dev.caravan.data;

import java.io.Serializable;

/**
 * Encoded rows ready for training, row-major: row {@code r} is {@code features[r*columns .. (r+1)*columns)}.
 * {@code targets} holds the scaled target (regression) or the label index (classification).
 */
public record FeatureMatrix(int rows, int columns, float[] features, float[] targets) implements Serializable {
    public FeatureMatrix {
        if (features.length != (long) rows * columns || targets.length != rows) {
            throw new IllegalArgumentException("matrix of " + rows + "x" + columns + " has " + features.length
                    + " features and " + targets.length + " targets");
        }
    }

    public float feature(int row, int column) {
        return features[row * columns + column];
    }
}
