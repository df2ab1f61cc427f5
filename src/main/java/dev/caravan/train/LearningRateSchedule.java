package dev.caravan.train;

import dev.caravan.data.LowerCaseName;
import java.io.Serializable;

/**
 * The learning rate per epoch: constant; step decay ({@code lr * gamma^floor(epoch / stepSize)}, as PyTorch's
 * StepLR); cosine annealing from the base rate to 0 over the maximum number of epochs; or plateau (as PyTorch's
 * ReduceLROnPlateau): the rate is multiplied by {@code gamma} each time {@code stepSize} epochs in a row bring no
 * improvement, which suits training whose length early stopping decides.
 */
public record LearningRateSchedule(Kind kind, int stepSize, double gamma) implements Serializable {
    public enum Kind implements LowerCaseName {
        CONSTANT,
        STEP,
        COSINE,
        PLATEAU
    }

    public static final LearningRateSchedule CONSTANT = new LearningRateSchedule(Kind.CONSTANT, 1, 1);

    public LearningRateSchedule {
        if ((kind == Kind.STEP || kind == Kind.PLATEAU) && (stepSize < 1 || !(gamma > 0 && gamma <= 1))) {
            throw new IllegalArgumentException(kind.id() + " schedule needs stepSize >= 1 and 0 < gamma <= 1, got"
                    + " stepSize " + stepSize + ", gamma " + gamma);
        }
    }

    /** The rate for a 0-based epoch, before any plateau reduction. */
    public double rate(double baseRate, int epoch, int maxEpochs) {
        return switch (kind) {
            case CONSTANT, PLATEAU -> baseRate;
            case STEP -> baseRate * Math.pow(gamma, Math.floorDiv(epoch, stepSize)); // whole steps only
            case COSINE -> baseRate * 0.5 * (1 + Math.cos(Math.PI * epoch / maxEpochs));
        };
    }

    /** Whether a plateau schedule multiplies the rate by gamma now, after this many epochs without improvement. */
    public boolean reducesOn(int epochsWithoutImprovement) {
        return kind == Kind.PLATEAU && epochsWithoutImprovement > 0 && epochsWithoutImprovement % stepSize == 0;
    }
}
