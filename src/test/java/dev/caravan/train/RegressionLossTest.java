package dev.caravan.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.Loss;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegressionLossTest {
    private static final float[] PREDICTIONS = {1, 2, 3, 4};
    private static final float[] LABELS = {0, 0, 0, 6};

    @Test
    void meanSquaredErrorAndItsGradient() {
        Gradient result = gradient(new RegressionLoss(LossKind.MSE));
        assertThat(result.loss()).isCloseTo((1 + 4 + 9 + 4) / 4f, within(1e-6f));
        // d/dp mean((p - y)^2) = 2 (p - y) / n
        assertThat(result.gradient()).containsExactly(new float[] {0.5f, 1f, 1.5f, -1f}, within(1e-6f));
    }

    @Test
    void meanAbsoluteErrorAndItsGradient() {
        Gradient result = gradient(new RegressionLoss(LossKind.L1));
        assertThat(result.loss()).isCloseTo((1 + 2 + 3 + 2) / 4f, within(1e-6f));
        assertThat(result.gradient()).containsExactly(new float[] {0.25f, 0.25f, 0.25f, -0.25f}, within(1e-6f));
    }

    /**
     * The garbage collector frees direct buffers between the forward and the backward pass, and the freed memory
     * is written over: a loss that left autograd holding a tensor over a Java buffer (as DJL's L2 loss does)
     * gets a gradient scaled by whatever now lies there.
     */
    @Test
    void theGradientDoesNotDependOnTheGarbageCollector() {
        float[] expected = gradient(new RegressionLoss(LossKind.MSE)).gradient();
        for (int attempt = 0; attempt < 5; attempt++) {
            assertThat(gradient(new RegressionLoss(LossKind.MSE), RegressionLossTest::scribbleOverFreedBuffers)
                            .gradient())
                    .containsExactly(expected);
        }
    }

    private record Gradient(float loss, float[] gradient) {}

    private static Gradient gradient(Loss loss) {
        return gradient(loss, () -> {});
    }

    private static Gradient gradient(Loss loss, Runnable betweenForwardAndBackward) {
        Engine engine = Engines.pytorch();
        try (NDManager manager = engine.newBaseManager()) {
            NDArray predictions = manager.create(PREDICTIONS);
            predictions.setRequiresGradient(true);
            NDArray labels = manager.create(LABELS);
            float value;
            try (GradientCollector collector = engine.newGradientCollector()) {
                NDArray result = loss.evaluate(new NDList(labels), new NDList(predictions));
                value = result.getFloat();
                betweenForwardAndBackward.run();
                collector.backward(result);
            }
            return new Gradient(value, predictions.getGradient().toFloatArray());
        }
    }

    /** Collects garbage, lets the cleaner free unreachable direct buffers, then fills fresh ones with 1000. */
    private static void scribbleOverFreedBuffers() {
        List<ByteBuffer> scribbles = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            System.gc();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            for (int i = 0; i < 2000; i++) {
                ByteBuffer buffer = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder());
                buffer.putFloat(0, 1000f);
                scribbles.add(buffer);
            }
        }
    }
}
