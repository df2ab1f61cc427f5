package dev.caravan.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

/**
 * Tensors in PyTorch's own memory. DJL's PyTorch engine wraps Java buffers without copying them, at whatever
 * address the JVM gave them, and the CPU matrix kernels' results depend, in their last bits, on that alignment;
 * seeded training then differs from run to run now and then. A copy made by PyTorch is aligned alike every time.
 */
final class Tensors {
    private Tensors() {}

    /** {@code values} as a tensor of {@code shape} in PyTorch's memory. */
    static NDArray of(NDManager manager, float[] values, Shape shape) {
        try (NDArray wrapped = manager.create(values, shape)) {
            return wrapped.duplicate();
        }
    }

    /** Moves every parameter of a block that loaded its parameters from bytes into PyTorch's memory. */
    static void ownParameters(Block block) {
        for (Pair<String, Parameter> parameter : block.getParameters()) {
            NDArray array = parameter.getValue().getArray();
            array.intern(array.duplicate());
        }
    }
}
