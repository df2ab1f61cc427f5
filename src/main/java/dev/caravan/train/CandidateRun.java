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

/**
 * One candidate in training: its model, optimizer, early stopping and generators live until it is closed, so that
 * a search can train it some epochs, compare it with the others, and go on. Seeded: the initial weights, the
 * dropout masks and the batch order each come from a generator of the candidate's own, split from the seed, never
 * from PyTorch's process-wide one; so on the CPU the same data, settings and seed give the same weights, whatever
 * else trains in the process at the same time, on whichever thread.
 */
public final class CandidateRun implements AutoCloseable {
    private final int index;
    private final Hyperparameters hp;
    private final MlpArchitecture architecture;
    private final TaskShape task;
    private final Device device;
    private final Monitor monitor;
    private final FeatureMatrix train;
    private final FeatureMatrix validation;
    private final MlpTrainer.EpochListener listener;
    private final Model model;
    private final Trainer trainer;
    private final Block block;
    private final SplittableRandom batchOrder;
    private final EarlyStopping stopping;
    private final List<EpochStats> history = new ArrayList<>();
    private byte[] best;
    private double bestLoss = Double.NaN;
    private double bestMetric = Double.NaN;
    private int epoch;
    private double seconds;
    /** The rate the optimizer reads for every update of the epoch under way. */
    private double rate;
    /** What a plateau schedule has multiplied the rate by so far. */
    private double plateauScale = 1;

    private String haltReason;

    CandidateRun(
            int index,
            Hyperparameters hp,
            TaskShape task,
            Device device,
            long seed,
            Monitor monitor,
            int patience,
            double minDelta,
            FeatureMatrix train,
            FeatureMatrix validation,
            MlpTrainer.EpochListener listener) {
        this.index = index;
        this.hp = hp;
        this.task = task;
        this.device = device;
        this.monitor = monitor;
        this.train = train;
        this.validation = validation;
        this.listener = listener;
        this.architecture =
                new MlpArchitecture(train.columns(), hp.hidden(), hp.activation(), hp.dropout(), task.outputs());
        this.stopping = new EarlyStopping(monitor.maximizes(), patience, minDelta, hp.maxEpochs());
        SplittableRandom seeded = new SplittableRandom(seed);
        SplittableRandom weights = seeded.split();
        SplittableRandom dropoutMasks = seeded.split();
        this.batchOrder = seeded.split();
        Engines.pytorch();
        this.model = Model.newInstance("caravan-mlp", device, "PyTorch");
        try {
            this.block = architecture.newTrainingBlock(dropoutMasks);
            block.setInitializer(new SeededInitializer(weights), Parameter.Type.WEIGHT);
            model.setBlock(block);
            DefaultTrainingConfig config = new DefaultTrainingConfig(loss(task, hp))
                    .optOptimizer(optimizer(hp, update -> (float) rate))
                    .optDevices(new Device[] {device});
            this.trainer = model.newTrainer(config);
            trainer.initialize(new Shape(1, train.columns()));
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    public int index() {
        return index;
    }

    public Hyperparameters hyperparameters() {
        return hp;
    }

    /** Epochs trained so far. */
    public int epoch() {
        return epoch;
    }

    /** Whether it trains no more: early stopping stopped it, or the search halted it. */
    public boolean finished() {
        return stopping.stopped() || haltReason != null;
    }

    /** The best monitored validation value so far (NaN before any finite epoch). */
    public double bestValue() {
        return stopping.bestValue();
    }

    /** The validation metric of the best epoch: for regression, RMSE in the target's units. */
    public double bestMetric() {
        return bestMetric;
    }

    /** Training seconds so far, epochs only. */
    public double seconds() {
        return seconds;
    }

    /**
     * Trains until epoch {@code untilEpoch}, until early stopping says stop, or until the deadline has passed at
     * the end of an epoch, when the candidate halts for the time budget (after its first epoch, so that it has one).
     */
    public void advance(int untilEpoch, Deadline deadline) {
        Engines.pytorch(); // the thread count applies per thread, and a search may move candidates between threads
        while (!finished() && epoch < untilEpoch) {
            if (epoch > 0 && deadline.passed()) {
                halt("time budget spent");
                return;
            }
            trainEpoch();
        }
    }

    /** Stops training for good, for a reason of the search's. */
    public void halt(String reason) {
        if (!finished()) {
            haltReason = reason;
        }
    }

    private void trainEpoch() {
        epoch++;
        long started = System.nanoTime();
        rate = hp.schedule().rate(hp.learningRate(), epoch - 1, hp.maxEpochs()) * plateauScale;
        double trainLoss = runEpoch();
        float[] outputs = BlockRunner.outputs(block, trainer.getManager(), validation, task.outputs());
        double validationLoss = task.loss(hp.loss(), outputs, validation.targets());
        double validationMetric = task.metric(outputs, validation.targets());
        double epochSeconds = (System.nanoTime() - started) / 1e9;
        seconds += epochSeconds;
        EpochStats stats = new EpochStats(epoch, trainLoss, validationLoss, validationMetric, rate, epochSeconds);
        history.add(stats);
        double monitored = monitor.maximizes() ? validationMetric : validationLoss;
        EarlyStopping.Decision decision = stopping.record(epoch, monitored, trainLoss);
        if (decision == EarlyStopping.Decision.IMPROVED) {
            best = snapshot(block);
            bestLoss = validationLoss;
            bestMetric = validationMetric;
        } else if (hp.schedule().reducesOn(stopping.epochsWithoutImprovement())) {
            plateauScale *= hp.schedule().gamma();
        }
        listener.onEpoch(index, stats, stopping.bestEpoch(), stopping.bestValue());
    }

    /**
     * One pass over the training rows in a seeded random order; returns the mean loss per row. The loss is summed
     * on the device and read once per epoch: reading it back after every batch costs several percent of the
     * epoch on small models.
     */
    private double runEpoch() {
        int rows = train.rows();
        int width = train.columns();
        int batchSize = hp.batchSize();
        int[] permutation = Shuffle.permutation(rows, batchOrder);
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
                NDArray loss = Backprop.lossWithGradients(
                        () -> trainer.getLoss().evaluate(new NDList(y), trainer.forward(new NDList(x))));
                trainer.step();
                lossSum.addi(loss.mul(size));
            }
        }
        try (lossSum) {
            return lossSum.getFloat() / rows;
        }
    }

    /** The candidate as trained so far, with its best epoch's weights. */
    public TrainedCandidate result() {
        return new TrainedCandidate(
                index,
                hp,
                architecture,
                best,
                List.copyOf(history),
                stopping.bestEpoch(),
                epoch,
                haltReason != null ? haltReason : stopping.stopReason(),
                bestLoss,
                bestMetric,
                MlpTrainer.describe(device),
                seconds);
    }

    @Override
    public void close() {
        try {
            trainer.close();
        } finally {
            model.close();
        }
    }

    private static Loss loss(TaskShape task, Hyperparameters hp) {
        // DJL's softmax cross-entropy multiplies by its weight only when the weight is not 1 (see RegressionLoss)
        return task.classification() ? Loss.softmaxCrossEntropyLoss() : new RegressionLoss(hp.loss());
    }

    private static Optimizer optimizer(Hyperparameters hp, Tracker rate) {
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
