package dev.caravan.train;

import dev.caravan.data.Shuffle;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The candidates to train: every combination of the listed values (grid), or a seeded random sample of
 * combinations. Hidden sizes, learning rate, weight decay, batch size and dropout vary; the rest is shared.
 */
public final class CandidateSpace {
    private final List<List<Integer>> hidden;
    private final List<Double> learningRates;
    private final List<Double> weightDecays;
    private final List<Integer> batchSizes;
    private final List<Double> dropouts;

    public CandidateSpace(
            List<List<Integer>> hidden,
            List<Double> learningRates,
            List<Double> weightDecays,
            List<Integer> batchSizes,
            List<Double> dropouts) {
        this.hidden = requireValues("hidden", hidden);
        this.learningRates = requireValues("learningRate", learningRates);
        this.weightDecays = requireValues("weightDecay", weightDecays);
        this.batchSizes = requireValues("batchSize", batchSizes);
        this.dropouts = requireValues("dropout", dropouts);
    }

    private static <T> List<T> requireValues(String name, List<T> values) {
        if (values == null || values.isEmpty()) {
            throw new IllegalArgumentException("the candidate grid is empty: " + name + " lists no value");
        }
        return List.copyOf(values);
    }

    /** Every combination, in a fixed order, each validated. */
    public List<Hyperparameters> grid(Hyperparameters shared) {
        List<Hyperparameters> all = new ArrayList<>();
        for (List<Integer> layers : hidden) {
            for (double rate : learningRates) {
                for (double decay : weightDecays) {
                    for (int batch : batchSizes) {
                        for (double dropout : dropouts) {
                            all.add(with(shared, layers, rate, decay, batch, dropout));
                        }
                    }
                }
            }
        }
        return all;
    }

    /** {@code samples} distinct combinations drawn with the seed (all of them if the grid is smaller). */
    public List<Hyperparameters> sample(Hyperparameters shared, int samples, long seed) {
        if (samples < 1) {
            throw new IllegalArgumentException("samples must be >= 1, got " + samples);
        }
        List<Hyperparameters> all = grid(shared);
        int[] order = Shuffle.permutation(all.size(), new SplittableRandom(seed));
        List<Hyperparameters> drawn = new ArrayList<>();
        for (int i = 0; i < Math.min(samples, order.length); i++) {
            drawn.add(all.get(order[i]));
        }
        return drawn;
    }

    private static Hyperparameters with(
            Hyperparameters shared, List<Integer> layers, double rate, double decay, int batch, double dropout) {
        return new Hyperparameters(
                        layers,
                        shared.activation(),
                        dropout,
                        shared.optimizer(),
                        shared.momentum(),
                        rate,
                        decay,
                        batch,
                        shared.maxEpochs(),
                        shared.schedule(),
                        shared.loss())
                .validate();
    }
}
