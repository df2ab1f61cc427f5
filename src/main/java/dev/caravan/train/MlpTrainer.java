package dev.caravan.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.caravan.data.FeatureMatrix;
import dev.caravan.data.Shuffle;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Trains one MLP candidate with mini-batch gradient descent and early stopping. Seeded: the initial weights, the
 * dropout masks and the batch order each come from a generator of the candidate's own, split from the seed, never
 * from PyTorch's process-wide one; so on the CPU the same data, settings and seed give the same weights, however
 * many other trainings run in the same process at the same time.
 */
public final class MlpTrainer {
    /** Told about each finished epoch, for progress display. */
    public interface EpochListener {
        void onEpoch(int candidate, EpochStats stats, int bestEpoch, double bestValue);
    }

    /**
     * DJL's PyTorch engine allows one gradient collector at a time in a process (it throws "already collecting"
     * otherwise), so trainings that run side by side take turns for each batch's forward pass, backward pass and
     * optimizer step; batch assembly and validation still run side by side.
     */
    private static final ReentrantLock GRADIENTS = new ReentrantLock(true);

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

    public TrainedCandidate train(int index, Hyperparameters hp, FeatureMatrix train, FeatureMatrix validation) {
        MlpArchitecture architecture =
                new MlpArchitecture(train.columns(), hp.hidden(), hp.activation(), hp.dropout(), task.outputs());
        SplittableRandom seeded = new SplittableRandom(seed);
        SplittableRandom weights = seeded.split();
        SplittableRandom dropoutMasks = seeded.split();
        SplittableRandom batchOrder = seeded.split();
        Engines.pytorch();
        long started = System.nanoTime();
        try (Model model = Model.newInstance("caravan-mlp", device, "PyTorch")) {
            Block block = architecture.newTrainingBlock(dropoutMasks);
            block.setInitializer(new SeededInitializer(weights), Parameter.Type.WEIGHT);
            model.setBlock(block);
            int batchesPerEpoch = (train.rows() + hp.batchSize() - 1) / hp.batchSize();
            DefaultTrainingConfig config = new DefaultTrainingConfig(loss(hp))
                    .optOptimizer(optimizer(hp, batchesPerEpoch))
                    .optDevices(new Device[] {device});
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(1, train.columns()));
                return fit(index, hp, architecture, trainer, block, train, validation, batchOrder, started);
            }
        }
    }

    private TrainedCandidate fit(
            int index,
            Hyperparameters hp,
            MlpArchitecture architecture,
            Trainer trainer,
            Block block,
            FeatureMatrix train,
            FeatureMatrix validation,
            SplittableRandom order,
            long started) {
        boolean maximize = monitor.maximizes();
        EarlyStopping stopping = new EarlyStopping(maximize, patience, minDelta, hp.maxEpochs());
        List<EpochStats> history = new ArrayList<>();
        byte[] best = null;
        double bestLoss = Double.NaN;
        double bestMetric = Double.NaN;
        int epoch = 0;
        while (!stopping.stopped()) {
            epoch++;
            long epochStarted = System.nanoTime();
            double rate = hp.schedule().rate(hp.learningRate(), epoch - 1, hp.maxEpochs());
            double trainLoss = runEpoch(trainer, train, hp.batchSize(), order);
            float[] outputs = BlockRunner.outputs(block, trainer.getManager(), validation, task.outputs());
            double validationLoss = task.loss(hp.loss(), outputs, validation.targets());
            double validationMetric = task.metric(outputs, validation.targets());
            EpochStats stats = new EpochStats(
                    epoch, trainLoss, validationLoss, validationMetric, rate, (System.nanoTime() - epochStarted) / 1e9);
            history.add(stats);
            double monitored = maximize ? validationMetric : validationLoss;
            if (stopping.record(epoch, monitored, trainLoss) == EarlyStopping.Decision.IMPROVED) {
                best = snapshot(block);
                bestLoss = validationLoss;
                bestMetric = validationMetric;
            }
            listener.onEpoch(index, stats, stopping.bestEpoch(), stopping.bestValue());
        }
        return new TrainedCandidate(
                index,
                hp,
                architecture,
                best,
                history,
                stopping.bestEpoch(),
                epoch,
                stopping.stopReason(),
                bestLoss,
                bestMetric,
                describe(device),
                (System.nanoTime() - started) / 1e9);
    }

    /** {@code cpu} or {@code gpu:N}, as recorded with the model. */
    static String describe(Device device) {
        return device.isGpu() ? "gpu:" + device.getDeviceId() : "cpu";
    }

    /**
     * One pass over the training rows in a seeded random order; returns the mean loss per row. The loss is summed
     * on the device and read once per epoch: reading it back after every batch costs several percent of the
     * epoch on small models.
     */
    private double runEpoch(Trainer trainer, FeatureMatrix train, int batchSize, SplittableRandom random) {
        int rows = train.rows();
        int width = train.columns();
        int[] permutation = Shuffle.permutation(rows, random);
        float[] features = new float[batchSize * width];
        float[] targets = new float[batchSize];
        NDArray lossSum = trainer.getManager().zeros(new Shape());
        for (int start = 0; start < rows; start += batchSize) {
            int size = Math.min(batchSize, rows - start);
            for (int i = 0; i < size; i++) {
                int row = permutation[start + i];
                System.arraycopy(train.features(), row * width, features, i * width, width);
                targets[i] = train.targets()[row];
            }
            try (NDManager scope = trainer.getManager().newSubManager()) {
                NDArray x = scope.create(
                        size == batchSize ? features : Arrays.copyOf(features, size * width), new Shape(size, width));
                NDArray y = scope.create(size == batchSize ? targets : Arrays.copyOf(targets, size), new Shape(size));
                NDArray loss;
                GRADIENTS.lock();
                try {
                    try (GradientCollector collector = trainer.newGradientCollector()) {
                        NDList predictions = trainer.forward(new NDList(x));
                        loss = trainer.getLoss().evaluate(new NDList(y), predictions);
                        collector.backward(loss);
                    }
                    trainer.step();
                } finally {
                    GRADIENTS.unlock();
                }
                lossSum.addi(loss.mul(size));
            }
        }
        try (lossSum) {
            return lossSum.getFloat() / rows;
        }
    }

    private Loss loss(Hyperparameters hp) {
        // DJL's softmax cross-entropy multiplies by its weight only when the weight is not 1 (see RegressionLoss)
        return task.classification() ? Loss.softmaxCrossEntropyLoss() : new RegressionLoss(hp.loss());
    }

    private static Optimizer optimizer(Hyperparameters hp, int batchesPerEpoch) {
        // DJL counts updates from 1; the schedule works per epoch
        Tracker rate =
                update -> (float) hp.schedule().rate(hp.learningRate(), (update - 1) / batchesPerEpoch, hp.maxEpochs());
        return switch (hp.optimizer()) {
            case ADAM -> Optimizer.adam()
                    .optLearningRateTracker(rate)
                    .optWeightDecays((float) hp.weightDecay())
                    .build();
            case SGD -> Optimizer.sgd()
                    .setLearningRateTracker(rate)
                    .optMomentum((float) hp.momentum())
                    .optWeightDecays((float) hp.weightDecay())
                    .build();
        };
    }

    private static byte[] snapshot(Block block) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            block.saveParameters(new DataOutputStream(bytes));
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot snapshot the model's weights", e);
        }
    }
}
