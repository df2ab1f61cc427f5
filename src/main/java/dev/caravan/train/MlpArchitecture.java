package dev.caravan.train;

import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import java.io.Serializable;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The shape of an MLP: inputs, hidden layers (each Linear, activation, optional dropout), and a Linear output
 * layer of {@code outputs} units (1 for regression, one logit per class for classification). Saved with the
 * model, so that export can rebuild the graph from the parameters.
 */
public record MlpArchitecture(int inputs, List<Integer> hidden, Activation activation, double dropout, int outputs)
        implements Serializable {
    public MlpArchitecture {
        hidden = List.copyOf(hidden);
    }

    /** The block to train; dropout draws its masks from {@code dropoutMasks}. */
    public Block newTrainingBlock(SplittableRandom dropoutMasks) {
        return newBlock(dropoutMasks);
    }

    /** The block to load trained parameters into and predict with. */
    public Block newInferenceBlock() {
        return newBlock(null);
    }

    private Block newBlock(SplittableRandom dropoutMasks) {
        SequentialBlock block = new SequentialBlock();
        for (int width : hidden) {
            block.add(Linear.builder().setUnits(width).build());
            block.add(
                    switch (activation) {
                        case RELU -> ai.djl.nn.Activation.reluBlock();
                        case GELU -> ai.djl.nn.Activation.geluBlock();
                        case TANH -> ai.djl.nn.Activation.tanhBlock();
                    });
            if (dropout > 0) {
                block.add(new SeededDropout((float) dropout, dropoutMasks));
            }
        }
        block.add(Linear.builder().setUnits(outputs).build());
        return block;
    }
}
