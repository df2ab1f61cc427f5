package dev.caravan.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;
import java.util.SplittableRandom;

/**
 * He (Kaiming) normal initialization, {@code N(0, 2 / fanIn)}, as DJL's default for weights, but drawn from the
 * candidate's own generator: PyTorch's generator is one per process, so runs training side by side would draw
 * from each other's stream.
 */
final class SeededInitializer implements Initializer {
    private final SplittableRandom random;

    SeededInitializer(SplittableRandom random) {
        this.random = random;
    }

    @Override
    public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
        long fanIn = shape.size() / shape.head();
        double deviation = Math.sqrt(2.0 / fanIn);
        float[] values = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() * deviation);
        }
        return manager.create(values, shape).toType(dataType, false);
    }
}
