package dev.caravan.train;

import java.util.Locale;

/** The training loss: MSE or L1 for regression; classification always uses softmax cross-entropy. */
public enum LossKind {
    MSE, L1, CROSS_ENTROPY;

    public String id() {
        return name().toLowerCase(Locale.ROOT).replace("_", "-");
    }

    /** Parses a regression loss name; cross-entropy is implied by classification, not chosen. */
    public static LossKind regressionLoss(String id) {
        return switch (id.trim().toLowerCase(Locale.ROOT)) {
            case "mse" -> MSE;
            case "l1", "mae" -> L1;
            default -> throw new IllegalArgumentException("unknown regression loss '" + id + "' (expected mse or l1)");
        };
    }
}
