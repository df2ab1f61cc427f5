package dev.caravan.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.caravan.data.FeatureMatrix;

/** Runs a block forward in inference mode (no dropout, no gradients) over a matrix, in chunks. */
final class BlockRunner {
    private static final int CHUNK_ROWS = 4096;

    private BlockRunner() {}

    /** The raw outputs (row-major, {@code outputs} per row): scaled predictions or logits. */
    static float[] outputs(Block block, NDManager manager, FeatureMatrix matrix, int outputs) {
        float[] result = new float[matrix.rows() * outputs];
        ParameterStore parameters = new ParameterStore(manager, false);
        int width = matrix.columns();
        for (int start = 0; start < matrix.rows(); start += CHUNK_ROWS) {
            int rows = Math.min(CHUNK_ROWS, matrix.rows() - start);
            float[] chunk = new float[rows * width];
            System.arraycopy(matrix.features(), start * width, chunk, 0, chunk.length);
            try (NDManager scope = manager.newSubManager()) {
                NDArray input = scope.create(chunk, new Shape(rows, width));
                NDArray output =
                        block.forward(parameters, new NDList(input), false).singletonOrThrow();
                System.arraycopy(output.toFloatArray(), 0, result, start * outputs, rows * outputs);
            }
        }
        return result;
    }
}
