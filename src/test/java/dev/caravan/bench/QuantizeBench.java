package dev.caravan.bench;

import ai.djl.Device;
import dev.caravan.data.FeatureMatrix;
import dev.caravan.data.FittedTransform;
import dev.caravan.data.MlpWeights;
import dev.caravan.onnx.Calibrator;
import dev.caravan.onnx.Int8Quantizer;
import dev.caravan.onnx.LatencyComparison;
import dev.caravan.onnx.OnnxExporter;
import dev.caravan.onnx.OrtModel;
import dev.caravan.onnx.QuantizationGate;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * For bench/quantize.sh: trains a small (20-64-32-1) and a wide (20-512-512-1) MLP on a synthetic regression,
 * exports each as FP32 and, through the pipeline's {@link Int8Quantizer}, INT8 ONNX, and measures size, test RMSE,
 * and ONNX Runtime latency at batch 1 and 256 (one thread, FP32 and INT8 measured in turn round by round, as the
 * gate does), then prints the layers kept in FP32 and the gate's decision. Not a test.
 */
public final class QuantizeBench {
    private static final int FEATURES = 20;
    private static final int CALIBRATION_ROWS = 1000;
    private static final double TOLERANCE = 0.01;

    private QuantizeBench() {}

    public static void main(String[] args) {
        int rounds = Integer.parseInt(args[0]);
        FeatureMatrix train = SyntheticRegression.data(20_000, FEATURES, 1);
        FeatureMatrix validation = SyntheticRegression.data(2_000, FEATURES, 2);
        FeatureMatrix test = SyntheticRegression.data(5_000, FEATURES, 3);
        FittedTransform transform = SyntheticRegression.identityTransform(FEATURES);
        System.out.printf(
                "%-6s %9s %9s %6s %9s %9s %8s %10s %10s %11s %11s %8s%n",
                "model",
                "fp32 KB",
                "int8 KB",
                "size",
                "fp32 rmse",
                "int8 rmse",
                "loss",
                "b1 fp32 ms",
                "b1 int8 ms",
                "b256 fp32",
                "b256 int8",
                "speed-up");
        List<String> decisions = new ArrayList<>();
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
            byte[] fp32 = OnnxExporter.exportFp32(List.of(weights), transform, Map.of());
            Int8Quantizer.Result int8 = new Int8Quantizer(
                            List.of(weights),
                            transform,
                            new Int8Quantizer.Calibration(
                                    SyntheticRegression.doubles(
                                            Arrays.copyOf(train.features(), CALIBRATION_ROWS * FEATURES)),
                                    CALIBRATION_ROWS,
                                    new Int8Quantizer.Metric(
                                            Scores.RMSE,
                                            false,
                                            outputs -> Math.sqrt(Scores.meanSquaredError(
                                                    outputs, Arrays.copyOf(train.targets(), CALIBRATION_ROWS))))),
                            Map.of())
                    .quantize(Calibrator.Method.MINMAX, 100, TOLERANCE);
            String name = hidden.get(0) > 64 ? "wide" : "small";
            if (int8.model() == null) {
                System.out.printf("%-6s int8 not built: %s%n", name, int8.summary());
                continue;
            }
            try (OrtModel fp32Model = OrtModel.load(fp32, FEATURES, "fp32");
                    OrtModel int8Model = OrtModel.load(int8.model(), FEATURES, "int8")) {
                double[] rows = SyntheticRegression.doubles(test.features());
                LatencyComparison batch1 = LatencyComparison.measure(fp32Model, int8Model, rows, 1, rounds, 2000);
                LatencyComparison batch256 = LatencyComparison.measure(fp32Model, int8Model, rows, 256, rounds, 200);
                double fp32Rmse = rmse(fp32Model, test);
                double int8Rmse = rmse(int8Model, test);
                System.out.printf(
                        Locale.ROOT,
                        "%-6s %9.1f %9.1f %5.2fx %9.4f %9.4f %+7.2f%% %10.4f %10.4f %11.4f %11.4f %7.2fx%n",
                        name,
                        fp32.length / 1024.0,
                        int8.model().length / 1024.0,
                        (double) int8.model().length / fp32.length,
                        fp32Rmse,
                        int8Rmse,
                        (int8Rmse - fp32Rmse) / fp32Rmse * 100,
                        batch1.fp32Millis(),
                        batch1.int8Millis(),
                        batch256.fp32Millis(),
                        batch256.int8Millis(),
                        batch256.fp32Millis() / batch256.int8Millis());
                decisions.add(name + ": " + int8.summary() + "; gate: "
                        + QuantizationGate.decide("rmse", false, fp32Rmse, int8Rmse, TOLERANCE, batch256)
                                .reason());
            }
        }
        System.out.println();
        decisions.forEach(System.out::println);
    }

    private static double rmse(OrtModel model, FeatureMatrix test) {
        return Math.sqrt(Scores.meanSquaredError(
                model.run(SyntheticRegression.doubles(test.features()), test.rows()), test.targets()));
    }
}
