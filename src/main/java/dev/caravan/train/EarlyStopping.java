package dev.caravan.train;

/**
 * Early stopping on a validation metric. Each epoch is compared with the best epoch so far (not the previous
 * one): an improvement of more than {@code minDelta} in the metric's direction resets the patience. The caller
 * keeps the best epoch's weights and restores them when this says stop.
 */
public final class EarlyStopping {
    public static final String PATIENCE_EXHAUSTED = "patience exhausted";
    public static final String MAX_EPOCHS = "max epochs";

    private final boolean maximize;
    private final int patience;
    private final double minDelta;
    private final int maxEpochs;
    private int bestEpoch;
    private double bestValue = Double.NaN;
    private int epochsWithoutImprovement;
    private String stopReason;

    /**
     * @param maximize true for metrics that go up (accuracy), false for losses
     * @param patience how many epochs without improvement to allow before stopping
     */
    public EarlyStopping(boolean maximize, int patience, double minDelta, int maxEpochs) {
        if (patience < 1) {
            throw new IllegalArgumentException("patience must be >= 1, got " + patience);
        }
        if (!(minDelta >= 0)) {
            throw new IllegalArgumentException("minDelta must be >= 0, got " + minDelta);
        }
        this.maximize = maximize;
        this.patience = patience;
        this.minDelta = minDelta;
        this.maxEpochs = maxEpochs;
    }

    /** What the trainer should do after an epoch. */
    public enum Decision {
        IMPROVED,
        CONTINUE,
        STOP
    }

    /**
     * Records a 1-based epoch's monitored value and training loss. A non-finite value of either means the
     * training diverged: stop, keeping the best epoch so far.
     */
    public Decision record(int epoch, double monitored, double trainLoss) {
        if (!Double.isFinite(trainLoss) || !Double.isFinite(monitored)) {
            stopReason = "diverged: loss " + (Double.isFinite(trainLoss) ? monitored : trainLoss);
            return Decision.STOP;
        }
        boolean improved =
                bestEpoch == 0 || (maximize ? monitored > bestValue + minDelta : monitored < bestValue - minDelta);
        if (improved) {
            bestEpoch = epoch;
            bestValue = monitored;
            epochsWithoutImprovement = 0;
        } else {
            epochsWithoutImprovement++;
        }
        if (epoch >= maxEpochs) {
            stopReason = MAX_EPOCHS;
            return improved ? Decision.IMPROVED : Decision.STOP;
        }
        if (epochsWithoutImprovement >= patience) {
            stopReason = PATIENCE_EXHAUSTED;
            return Decision.STOP;
        }
        return improved ? Decision.IMPROVED : Decision.CONTINUE;
    }

    /** Whether training should stop after the epoch just recorded. */
    public boolean stopped() {
        return stopReason != null;
    }

    /** The best epoch (1-based), or 0 if no epoch produced a finite value. */
    public int bestEpoch() {
        return bestEpoch;
    }

    public double bestValue() {
        return bestValue;
    }

    /** Epochs since the best one. */
    public int epochsWithoutImprovement() {
        return epochsWithoutImprovement;
    }

    public String stopReason() {
        return stopReason;
    }
}
