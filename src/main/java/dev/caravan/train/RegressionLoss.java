package dev.caravan.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;

/**
 * Mean squared or mean absolute error, computed without scalar tensors. DJL's own L1 and L2 losses multiply by
 * their weight through {@code NDArray.mul(Number)}, which wraps the number's Java buffer in a tensor and closes it
 * straight away; autograd keeps that tensor for the backward pass, and once the garbage collector frees the
 * buffer, backward reads freed memory: now and then (more often under memory pressure) a seeded run's gradients,
 * and so its weights, came out different.
 */
final class RegressionLoss extends Loss {
    private final LossKind kind;

    RegressionLoss(LossKind kind) {
        super(kind.id());
        this.kind = kind;
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray prediction = predictions.singletonOrThrow();
        NDArray error = labels.singletonOrThrow().reshape(prediction.getShape()).sub(prediction);
        return (kind == LossKind.L1 ? error.abs() : error.square()).mean();
    }
}
