package dev.caravan.train;

import java.io.Serializable;

/**
 * One epoch of one candidate: mean training loss, validation loss (same loss, no dropout), the validation metric
 * (accuracy, or RMSE in the target's units), the learning rate used, and the epoch's wall time.
 */
public record EpochStats(
        int epoch,
        double trainLoss,
        double validationLoss,
        double validationMetric,
        double learningRate,
        double seconds)
        implements Serializable {}
