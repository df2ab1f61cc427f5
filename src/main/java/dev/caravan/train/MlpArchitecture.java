package dev.caravan.train;

import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import java.io.Serializable;
import java.util.List;

/**
 * The shape of an MLP: inputs, hidden layers (each Linear, activation, optional dropout), and a Linear output
 * layer of {@code outputs} units (1 for regression, one logit per class for classification). Saved with the
 * model, so that export can rebuild the graph from the parameters.
 */
public record MlpArchitecture(int inputs, List<Integer> hidden, Activation activation, double dropout, int outputs) implements Serializable {
    public MlpArchitecture {
        hidden = List.copyOf(hidden);
    }

    public Block newBlock() {
        SequentialBlock block = new SequentialBlock();
        for (int width : hidden) {
            block.add(Linear.builder().setUnits(width).build());
            block.add(switch (activation) {
                case RELU -> ai.djl.nn.Activation.reluBlock();
                case GELU -> ai.djl.nn.Activation.geluBlock();
                case TANH -> ai.djl.nn.Activation.tanhBlock();
            });
            if (dropout > 0) {
                block.add(Dropout.builder().optRate((float) dropout).build());
            }
        }
        block.add(Linear.builder().setUnits(outputs).build());
        return block;
    }
}
