package dev.caravan.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.SplittableRandom;

/**
 * Inverted dropout whose masks come from the candidate's own generator, not PyTorch's process-wide one, so that a
 * seeded run trains the same weights whatever else the process trains at the same time. In inference it passes
 * its input through.
 */
final class SeededDropout extends AbstractBlock {
    private static final byte VERSION = 1;

    private final float rate;
    private final SplittableRandom masks;

    /** {@code masks}: null for a block rebuilt for inference, which never trains. */
    SeededDropout(float rate, SplittableRandom masks) {
        super(VERSION);
        this.rate = rate;
        this.masks = masks;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray input = inputs.singletonOrThrow();
        if (!training || rate == 0) {
            return inputs;
        }
        if (masks == null) {
            throw new IllegalStateException("a model rebuilt for inference cannot train");
        }
        float keep = 1 / (1 - rate);
        float[] mask = new float[Math.toIntExact(input.getShape().size())];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = masks.nextDouble() < rate ? 0 : keep;
        }
        return new NDList(input.mul(input.getManager().create(mask, input.getShape())));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
