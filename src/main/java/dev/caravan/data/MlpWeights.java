package dev.caravan.data;

import java.util.List;

/**
 * A trained MLP as plain arrays: what training hands to export. Each dense layer computes
 * {@code y = x · weightᵀ + bias}; every layer but the last is followed by the activation.
 *
 * @param activation {@code relu}, {@code gelu} or {@code tanh}
 */
public record MlpWeights(String activation, List<Dense> layers) {
    public MlpWeights {
        layers = List.copyOf(layers);
    }

    /**
     * One dense layer.
     *
     * @param weight row-major {@code [outputs][inputs]}
     */
    public record Dense(int inputs, int outputs, float[] weight, float[] bias) {
        public Dense {
            if (weight.length != inputs * outputs || bias.length != outputs) {
                throw new IllegalArgumentException("dense layer " + inputs + "->" + outputs + " has " + weight.length
                        + " weights and " + bias.length + " biases");
            }
        }
    }

    public int inputs() {
        return layers.get(0).inputs();
    }

    public int outputs() {
        return layers.get(layers.size() - 1).outputs();
    }
}
