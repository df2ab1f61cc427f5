package dev.caravan.bench;

import ai.djl.Device;
import dev.caravan.data.FeatureMatrix;
import dev.caravan.data.FittedTransform;
import dev.caravan.data.MlpWeights;
import dev.caravan.onnx.Calibrator;
import dev.caravan.onnx.OnnxExporter;
import dev.caravan.onnx.OrtModel;
import dev.caravan.testing.SyntheticRegression;
import dev.caravan.train.Activation;
import dev.caravan.train.Hyperparameters;
import dev.caravan.train.LearningRateSchedule;
import dev.caravan.train.LossKind;
import dev.caravan.train.MlpTrainer;
import dev.caravan.train.Monitor;
import dev.caravan.train.OptimizerKind;
import dev.caravan.train.Scores;
import dev.caravan.train.TaskShape;
import dev.caravan.train.TrainedCandidate;
import dev.caravan.train.TrainedModel;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * For bench/quantize.sh: trains a small (20-64-32-1) and a wide (20-512-512-1) MLP on a synthetic regression,
 * exports each as FP32 and static INT8 ONNX, and measures size, test RMSE, and ONNX Runtime latency at batch 1
 * and 256 (one thread, median of FP32 and INT8 calls interleaved round by round, after warm-up). Not a test.
 */
public final class QuantizeBench {
    private static final int FEATURES = 20;

    private QuantizeBench() {}

    public static void main(String[] args) {
        int rounds = Integer.parseInt(args[0]);
        FeatureMatrix train = SyntheticRegression.data(20_000, FEATURES, 1);
        FeatureMatrix validation = SyntheticRegression.data(2_000, FEATURES, 2);
        FeatureMatrix test = SyntheticRegression.data(5_000, FEATURES, 3);
        FittedTransform transform = SyntheticRegression.identityTransform(FEATURES);
        System.out.printf(
                "%-6s %9s %9s %6s %9s %9s %10s %10s %11s %11s %12s %12s%n",
                "model",
                "fp32 KB",
                "int8 KB",
                "size",
                "fp32 rmse",
                "int8 rmse",
                "b1 fp32 ms",
                "b1 int8 ms",
                "b256 fp32",
                "b256 int8",
                "fp32 rows/s",
                "int8 rows/s");
        for (List<Integer> hidden : List.of(List.of(64, 32), List.of(512, 512))) {
            TrainedCandidate candidate = new MlpTrainer(
                            new TaskShape(false, 1, 1), Device.cpu(), 42, Monitor.VAL_LOSS, 3, 0, (c, s, b, v) -> {})
                    .train(
                            0,
                            new Hyperparameters(
                                    hidden,
                                    Activation.RELU,
                                    0,
                                    OptimizerKind.ADAM,
                                    0.9,
                                    0.001,
                                    0,
                                    256,
                                    8,
                                    LearningRateSchedule.CONSTANT,
                                    LossKind.MSE),
                            train,
                            validation);
            MlpWeights weights = new TrainedModel(candidate.architecture(), candidate.parameters()).weights();
            byte[] fp32 = OnnxExporter.exportFp32(weights, transform, Map.of());
            byte[] int8 = OnnxExporter.exportInt8(
                    weights,
                    transform,
                    Calibrator.calibrate(
                            weights,
                            transform,
                            SyntheticRegression.doubles(train.features()),
                            1000,
                            Calibrator.Method.MINMAX,
                            100),
                    Map.of());
            try (OrtModel fp32Model = OrtModel.load(fp32, FEATURES, "fp32");
                    OrtModel int8Model = OrtModel.load(int8, FEATURES, "int8")) {
                double[][] batch1 = latencies(fp32Model, int8Model, test, 1, rounds);
                double[][] batch256 = latencies(fp32Model, int8Model, test, 256, rounds);
                System.out.printf(
                        Locale.ROOT,
                        "%-6s %9.1f %9.1f %5.2fx %9.4f %9.4f %10.4f %10.4f %11.4f %11.4f %12.0f %12.0f%n",
                        hidden.get(0) > 64 ? "wide" : "small",
                        fp32.length / 1024.0,
                        int8.length / 1024.0,
                        (double) int8.length / fp32.length,
                        rmse(fp32Model, test),
                        rmse(int8Model, test),
                        median(batch1[0]),
                        median(batch1[1]),
                        median(batch256[0]),
                        median(batch256[1]),
                        256_000 / median(batch256[0]),
                        256_000 / median(batch256[1]));
            }
        }
    }

    private static double rmse(OrtModel model, FeatureMatrix test) {
        return Math.sqrt(Scores.meanSquaredError(
                model.run(SyntheticRegression.doubles(test.features()), test.rows()), test.targets()));
    }

    /** Per round, one median for FP32 and one for INT8; which goes first alternates by round. */
    private static double[][] latencies(OrtModel fp32, OrtModel int8, FeatureMatrix test, int batch, int rounds) {
        double[][] result = new double[2][rounds];
        int iterations = batch == 1 ? 2000 : 200;
        for (int round = 0; round < rounds; round++) {
            boolean fp32First = round % 2 == 0;
            for (int k = 0; k < 2; k++) {
                boolean measureFp32 = (k == 0) == fp32First;
                OrtModel model = measureFp32 ? fp32 : int8;
                result[measureFp32 ? 0 : 1][round] =
                        model.medianLatencyMillis(SyntheticRegression.doubles(test.features()), batch, 100, iterations);
            }
        }
        return result;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
