package dev.caravan.train;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.function.Supplier;

/**
 * One forward and backward pass on the calling thread, without DJL's gradient collector. DJL's PyTorch engine
 * allows one collector at a time in a whole process (a second throws "already collecting"), while PyTorch itself
 * records and runs the backward passes of independent graphs on many threads at once: its gradient mode is kept per
 * thread. So candidates, and pipelines, train side by side.
 */
final class Backprop {
    private Backprop() {}

    /** Computes {@code loss} with gradients recorded, then its gradients into the parameters; returns the loss. */
    static NDArray lossWithGradients(Supplier<NDArray> loss) {
        boolean recording = JniUtils.isGradMode();
        JniUtils.setGradMode(true);
        try {
            NDArray value = loss.get();
            try (NDArray seed = value.onesLike()) {
                JniUtils.backward((PtNDArray) value, (PtNDArray) seed, false, false);
            }
            return value;
        } finally {
            JniUtils.setGradMode(recording);
        }
    }
}
