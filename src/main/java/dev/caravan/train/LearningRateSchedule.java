package dev.caravan.train;

import dev.caravan.data.LowerCaseName;
import java.io.Serializable;

/**
 * The learning rate per epoch: constant, step decay ({@code lr * gamma^floor(epoch / stepSize)}, as PyTorch's
 * StepLR), or cosine annealing from the base rate to 0 over the maximum number of epochs.
 */
public record LearningRateSchedule(Kind kind, int stepSize, double gamma) implements Serializable {
    public enum Kind implements LowerCaseName {
        CONSTANT,
        STEP,
        COSINE
    }

    public static final LearningRateSchedule CONSTANT = new LearningRateSchedule(Kind.CONSTANT, 1, 1);

    public LearningRateSchedule {
        if (kind == Kind.STEP && (stepSize < 1 || !(gamma > 0 && gamma <= 1))) {
            throw new IllegalArgumentException("step schedule needs stepSize >= 1 and 0 < gamma <= 1, got stepSize "
                    + stepSize + ", gamma " + gamma);
        }
    }

    /** The rate for a 0-based epoch. */
    public double rate(double baseRate, int epoch, int maxEpochs) {
        return switch (kind) {
            case CONSTANT -> baseRate;
            case STEP -> baseRate * Math.pow(gamma, Math.floorDiv(epoch, stepSize)); // whole steps only
            case COSINE -> baseRate * 0.5 * (1 + Math.cos(Math.PI * epoch / maxEpochs));
        };
    }
}
