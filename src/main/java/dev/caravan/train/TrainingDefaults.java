package dev.caravan.train;

import java.util.List;

/**
 * What training uses where the spec says nothing. The batch size and the number of epochs follow the size of the
 * training split, thought of in optimizer steps: about 32 batches an epoch, and a budget of {@value #STEP_BUDGET}
 * steps, so that small tables get small batches and many epochs, and training ends by early stopping rather than
 * by the cap. With no candidates given, the search draws {@value #CANDIDATES} from {@link #space} and halves them.
 */
public final class TrainingDefaults {
    /** Optimizer steps that a candidate takes at most, by default. */
    static final int STEP_BUDGET = 5_000;

    static final int BATCHES_PER_EPOCH = 32;
    static final int MIN_BATCH = 16;
    static final int MAX_BATCH = 512;
    static final int MIN_EPOCHS = 30;
    static final int MAX_EPOCHS = 500;

    /** How many candidates the default search draws. */
    public static final int CANDIDATES = 12;

    /** How many of the best candidates the default ensemble averages (see bench/quality.sh). */
    public static final int ENSEMBLE_SIZE = 3;

    /** The default time budget of the train stage, in seconds. */
    public static final double BUDGET_SECONDS = 40;

    private TrainingDefaults() {}

    /** The power of two nearest {@code rows / 32}, within [16, 512]. */
    public static int batchSize(int rows) {
        double ideal = Math.max(1, (double) rows / BATCHES_PER_EPOCH);
        int power = (int) Math.round(Math.log(ideal) / Math.log(2));
        return Math.max(MIN_BATCH, Math.min(MAX_BATCH, 1 << Math.max(0, Math.min(30, power))));
    }

    /** Enough epochs for the step budget, within [30, 500]. */
    public static int maxEpochs(int rows, int batchSize) {
        int steps = (rows + batchSize - 1) / batchSize;
        int epochs = (STEP_BUDGET + steps - 1) / steps;
        return Math.max(MIN_EPOCHS, Math.min(MAX_EPOCHS, epochs));
    }

    /** Epochs without improvement after which a plateau schedule lowers the rate: a third of the patience. */
    public static int plateauEpochs(int patience) {
        return Math.max(2, patience / 3);
    }

    /**
     * The default search space: one to three hidden layers of 64 to 256 units, learning rates a factor 3 apart,
     * light weight decay and dropout, and half, once and twice the derived batch size.
     */
    public static CandidateSpace space(int batchSize) {
        return new CandidateSpace(
                List.of(
                        List.of(64),
                        List.of(128),
                        List.of(256),
                        List.of(64, 32),
                        List.of(128, 64),
                        List.of(256, 128),
                        List.of(128, 64, 32),
                        List.of(256, 128, 64)),
                List.of(3e-4, 1e-3, 3e-3),
                List.of(0.0, 1e-5, 1e-4),
                List.of(Math.max(8, batchSize / 2), batchSize, batchSize * 2),
                List.of(0.0, 0.1, 0.2));
    }
}
