package dev.caravan.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.caravan.data.CaravanException;
import java.nio.DoubleBuffer;
import java.util.Arrays;
import java.util.Map;

/** An ONNX model loaded in ONNX Runtime (one intra-op thread), run on flat row-major double batches. */
public final class OrtModel implements AutoCloseable {
    private static final int CHUNK_ROWS = 4096;

    private final OrtEnvironment environment = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final String input;
    private final int width;

    private OrtModel(OrtSession session, int width) throws OrtException {
        this.session = session;
        this.input = session.getInputNames().iterator().next();
        this.width = width;
    }

    /** Loads a model; a model ONNX Runtime rejects is bad data naming it. */
    public static OrtModel load(byte[] model, int width, String description) {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            OrtSession session = environment.createSession(model, options);
            try {
                return new OrtModel(session, width);
            } catch (OrtException | RuntimeException e) {
                session.close();
                throw e;
            }
        } catch (OrtException e) {
            throw CaravanException.badData(
                    "ONNX Runtime cannot load the " + description + " model: " + e.getMessage(), e);
        }
    }

    /** The model's outputs for {@code count} rows, row-major; ONNX Runtime failing to run a model it loaded is a fault. */
    public float[] run(double[] rows, int count) {
        float[] result = null;
        int outputs = 0;
        for (int start = 0; start < count; start += CHUNK_ROWS) {
            int size = Math.min(CHUNK_ROWS, count - start);
            float[][] chunk = runBatch(Arrays.copyOfRange(rows, start * width, (start + size) * width), size);
            if (result == null) {
                outputs = chunk[0].length;
                result = new float[count * outputs];
            }
            for (int r = 0; r < size; r++) {
                System.arraycopy(chunk[r], 0, result, (start + r) * outputs, outputs);
            }
        }
        return result;
    }

    private float[][] runBatch(double[] rows, int count) {
        try (OnnxTensor tensor =
                        OnnxTensor.createTensor(environment, DoubleBuffer.wrap(rows), new long[] {count, width});
                OrtSession.Result result = session.run(Map.of(input, tensor))) {
            return (float[][]) result.get(0).getValue();
        } catch (OrtException e) {
            throw CaravanException.fault("ONNX Runtime failed to run the model: " + e.getMessage(), e);
        }
    }

    /** Median milliseconds per call at a batch size, after warm-up calls; {@code rows} must hold {@code batch}. */
    public double medianLatencyMillis(double[] rows, int batch, int warmup, int iterations) {
        double[] input = Arrays.copyOf(rows, batch * width);
        for (int i = 0; i < warmup; i++) {
            runBatch(input, batch);
        }
        double[] millis = new double[iterations];
        for (int i = 0; i < iterations; i++) {
            long started = System.nanoTime();
            runBatch(input, batch);
            millis[i] = (System.nanoTime() - started) / 1e6;
        }
        Arrays.sort(millis);
        return millis[iterations / 2];
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw CaravanException.fault("cannot close an ONNX Runtime session: " + e.getMessage(), e);
        }
    }
}
