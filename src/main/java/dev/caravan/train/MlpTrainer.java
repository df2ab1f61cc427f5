package dev.caravan.train;

import ai.djl.Device;
import dev.caravan.data.FeatureMatrix;

/**
 * Trains MLP candidates with mini-batch gradient descent and early stopping, each a {@link CandidateRun} with
 * generators of its own (see there), on the settings every candidate of a run shares.
 */
public final class MlpTrainer {
    /** Told about each finished epoch, for progress display; candidates may train on several threads at once. */
    public interface EpochListener {
        void onEpoch(int candidate, EpochStats stats, int bestEpoch, double bestValue);
    }

    private final TaskShape task;
    private final Device device;
    private final long seed;
    private final Monitor monitor;
    private final int patience;
    private final double minDelta;
    private final EpochListener listener;

    public MlpTrainer(
            TaskShape task,
            Device device,
            long seed,
            Monitor monitor,
            int patience,
            double minDelta,
            EpochListener listener) {
        this.task = task;
        this.device = device;
        this.seed = seed;
        this.monitor = monitor;
        this.patience = patience;
        this.minDelta = minDelta;
        this.listener = listener;
    }

    public Device device() {
        return device;
    }

    /**
     * A candidate ready to train (its model built and initialized); the caller closes it. Its generators come
     * from the {@code replica}-th seed derived from the run's (0: the run's own), so that the same settings can
     * train again from other initial weights, dropout masks and batch orders.
     */
    public CandidateRun open(int index, Hyperparameters hp, int replica, TrainingData data) {
        long replicaSeed = seed + replica * 0x9E3779B97F4A7C15L;
        return new CandidateRun(
                index,
                hp,
                data.task(),
                device,
                replicaSeed,
                monitor,
                patience,
                minDelta,
                data.train(),
                data.validation(),
                listener);
    }

    /** The splits a candidate trains and validates on, and what its outputs mean. */
    public record TrainingData(TaskShape task, FeatureMatrix train, FeatureMatrix validation) {}

    /** Trains one candidate until early stopping or its last epoch. */
    public TrainedCandidate train(int index, Hyperparameters hp, FeatureMatrix train, FeatureMatrix validation) {
        try (CandidateRun run = open(index, hp, 0, new TrainingData(task, train, validation))) {
            run.advance(hp.maxEpochs(), Deadline.NONE);
            return run.result();
        }
    }

    /** {@code cpu} or {@code gpu:N}, as recorded with the model. */
    static String describe(Device device) {
        return device.isGpu() ? "gpu:" + device.getDeviceId() : "cpu";
    }
}
