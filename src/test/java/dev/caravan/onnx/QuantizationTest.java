package dev.caravan.onnx;

import static dev.caravan.onnx.LatencyComparison.Verdict.FASTER;
import static dev.caravan.onnx.LatencyComparison.Verdict.TIE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import dev.caravan.data.CaravanException;
import dev.caravan.data.FeatureMatrix;
import dev.caravan.data.FittedTransform;
import dev.caravan.data.MlpWeights;
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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Static INT8 on a wide model: size, accuracy, layer sensitivity, and the gate's decisions on simulated timings. */
class QuantizationTest {
    private static final int FEATURES = 12;
    private static FittedTransform transform;
    private static MlpWeights weights;
    private static FeatureMatrix test;
    private static FeatureMatrix calibration;

    @BeforeAll
    static void trainWideModel() {
        transform = SyntheticRegression.identityTransform(FEATURES);
        FeatureMatrix train = SyntheticRegression.data(3000, FEATURES, 1);
        calibration = SyntheticRegression.data(500, FEATURES, 2);
        test = SyntheticRegression.data(1000, FEATURES, 3);
        TrainedCandidate candidate = new MlpTrainer(
                        new TaskShape(false, 1, 1), Device.cpu(), 7, Monitor.VAL_LOSS, 5, 0, (c, s, b, v) -> {})
                .train(
                        0,
                        new Hyperparameters(
                                List.of(256, 256),
                                Activation.RELU,
                                0,
                                OptimizerKind.ADAM,
                                0.9,
                                0.003,
                                0,
                                64,
                                25,
                                LearningRateSchedule.CONSTANT,
                                LossKind.MSE),
                        train,
                        SyntheticRegression.data(500, FEATURES, 4));
        weights = new TrainedModel(candidate.architecture(), candidate.parameters()).weights();
    }

    private static double rmse(byte[] model) {
        try (OrtModel session = OrtModel.load(model, FEATURES, "test")) {
            float[] predicted = session.run(SyntheticRegression.doubles(test.features()), test.rows());
            return Math.sqrt(Scores.meanSquaredError(predicted, test.targets()));
        }
    }

    private static Int8Quantizer.Calibration calibrationRows(FeatureMatrix rows) {
        return new Int8Quantizer.Calibration(
                SyntheticRegression.doubles(rows.features()),
                rows.rows(),
                new Int8Quantizer.Metric(
                        Scores.RMSE, false, outputs -> Math.sqrt(Scores.meanSquaredError(outputs, rows.targets()))));
    }

    private static Int8Quantizer.Result quantize(Int8Quantizer.Calibration rows, double tolerance) {
        return new Int8Quantizer(List.of(weights), transform, rows, Map.of())
                .quantize(Calibrator.Method.MINMAX, 100, tolerance);
    }

    private static byte[] fp32() {
        return OnnxExporter.exportFp32(List.of(weights), transform, Map.of());
    }

    /** Rounds measured in turn: a seeded noise of 3% per round, and now and then a burst of load on one side. */
    private static LatencyComparison simulated(double fp32Millis, double int8Millis, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] fp32 = new double[LatencyComparison.ROUNDS];
        double[] int8 = new double[LatencyComparison.ROUNDS];
        for (int k = 0; k < fp32.length; k++) {
            fp32[k] = fp32Millis * (1 + 0.03 * random.nextGaussian()) * (random.nextInt(9) == 0 ? 1.3 : 1);
            int8[k] = int8Millis * (1 + 0.03 * random.nextGaussian()) * (random.nextInt(9) == 0 ? 1.3 : 1);
        }
        return LatencyComparison.of(256, fp32, int8, LatencyComparison.MARGIN);
    }

    @Test
    void int8IsUnderAThirdOfTheSizeAndWithinTheGate() {
        byte[] fp32 = fp32();
        Int8Quantizer.Result int8 = quantize(calibrationRows(calibration), 0.01);

        assertThat(int8.layers()).noneMatch(Int8Quantizer.Layer::fp32);
        assertThat(int8.summary()).startsWith("every layer quantized");
        assertThat((double) int8.model().length / fp32.length).isLessThanOrEqualTo(0.3);
        QuantizationGate.Decision decision =
                QuantizationGate.decide("rmse", false, rmse(fp32), rmse(int8.model()), 0.01, simulated(1.0, 0.5, 1));
        assertThat(decision.accuracyPassed()).as(decision.reason()).isTrue();
        assertThat(decision.chosen()).isEqualTo("int8");
    }

    /**
     * An outlier channel: one hidden unit of the first layer scaled up 1000 times, and its weights into the second
     * layer down as much, is the same function (ReLU is positively homogeneous), but the second layer's input now
     * spans a range that leaves the other units one quantization level. Quantizing that layer costs most of the
     * accuracy, so it alone stays FP32, with the numbers.
     */
    @Test
    void theMostSensitiveLayerStaysFp32AndTheRecordSaysWhy() {
        MlpWeights.Dense first = weights.layers().get(0);
        MlpWeights.Dense second = weights.layers().get(1);
        float[] firstWeight = first.weight().clone();
        float[] firstBias = first.bias().clone();
        float[] secondWeight = second.weight().clone();
        int unit = 0;
        for (int j = 0; j < first.inputs(); j++) {
            firstWeight[unit * first.inputs() + j] *= 1000;
        }
        firstBias[unit] *= 1000;
        for (int o = 0; o < second.outputs(); o++) {
            secondWeight[o * second.inputs() + unit] /= 1000;
        }
        MlpWeights outlier = new MlpWeights(
                weights.activation(),
                List.of(
                        new MlpWeights.Dense(first.inputs(), first.outputs(), firstWeight, firstBias),
                        new MlpWeights.Dense(second.inputs(), second.outputs(), secondWeight, second.bias()),
                        weights.layers().get(2)));
        Int8Quantizer.Result int8 = new Int8Quantizer(
                        List.of(outlier), transform, calibrationRows(calibration), Map.of())
                .quantize(Calibrator.Method.MINMAX, 100, 0.01);

        Int8Quantizer.Layer sensitive = int8.layers().get(1);
        assertThat(sensitive.fp32()).as(int8.summary()).isTrue();
        assertThat(sensitive.why()).startsWith("with every layer quantized the model lost ");
        assertThat(sensitive.outputChange())
                .isGreaterThan(int8.layers().get(0).outputChange())
                .isGreaterThan(int8.layers().get(2).outputChange());
        assertThat(int8.layers().get(0).fp32()).isFalse();
        assertThat(int8.layers().get(2).fp32()).isFalse();
        assertThat(int8.summary()).startsWith("layer 2 kept in FP32 as the most sensitive");
        assertThat(rmse(int8.model())).isLessThan(rmse(fp32()) * 1.01);
    }

    /** Calibration that clips the top tenth of each range makes an INT8 model that is surely worse. */
    @Test
    void anInt8ThatLosesAccuracyKeepsFp32AndSaysWhy() {
        double fp32Rmse = rmse(fp32());
        byte[] clipped = OnnxExporter.exportInt8(
                List.of(weights),
                transform,
                List.of(Calibrator.calibrate(
                        weights,
                        transform,
                        SyntheticRegression.doubles(calibration.features()),
                        calibration.rows(),
                        Calibrator.Method.PERCENTILE,
                        90)),
                Set.of(),
                Map.of());
        double int8Rmse = rmse(clipped);
        QuantizationGate.Decision decision =
                QuantizationGate.decide("rmse", false, fp32Rmse, int8Rmse, 1e-6, simulated(1.0, 0.5, 2));
        assertThat(int8Rmse).isGreaterThan(fp32Rmse);
        assertThat(decision.chosen()).isEqualTo("fp32");
        assertThat(decision.reason())
                .startsWith("fp32 kept: int8 fails the accuracy gate: rmse ")
                .contains("allowed 0.00%")
                .contains(String.format(Locale.ROOT, "fp32 %.4f", fp32Rmse));
    }

    @Test
    void aSlowerInt8KeepsFp32() {
        QuantizationGate.Decision decision =
                QuantizationGate.decide("accuracy", true, 0.9, 0.9, 0.01, simulated(1.0, 1.5, 3));
        assertThat(decision.chosen()).isEqualTo("fp32");
        assertThat(decision.latency()).isEqualTo(LatencyComparison.Verdict.SLOWER);
        assertThat(decision.reason()).startsWith("fp32 kept: int8 is slower").contains("over 9 rounds: slower");
    }

    /**
     * The case: one model, whose INT8 and FP32 take the same time but for noise, measured on many runs
     * (seeds): every run calls it a tie and decides the same, by accuracy.
     */
    @Test
    void latenciesThatDifferOnlyByNoiseGiveTheSameDecisionOnEveryRun() {
        for (long run = 0; run < 50; run++) {
            LatencyComparison latency = simulated(0.234, 0.234, run);
            assertThat(latency.verdict())
                    .as("run %d: %s", run, latency.describe())
                    .isEqualTo(TIE);
            QuantizationGate.Decision decision = QuantizationGate.decide("rmse", false, 0.50, 0.502, 0.01, latency);
            assertThat(decision.chosen()).isEqualTo("fp32");
            assertThat(decision.reason()).startsWith("fp32 kept: latency is a tie and fp32 is more accurate");
            assertThat(QuantizationGate.decide("rmse", false, 0.50, 0.50, 0.01, latency)
                            .chosen())
                    .isEqualTo("int8");
        }
        for (long run = 0; run < 50; run++) {
            assertThat(simulated(0.234, 0.150, run).verdict()).as("run %d", run).isEqualTo(FASTER);
        }
    }

    @Test
    void nonFiniteWeightsAreRefused() {
        MlpWeights.Dense first = weights.layers().get(0);
        float[] broken = first.weight().clone();
        broken[5] = Float.NaN;
        List<MlpWeights.Dense> layers = new ArrayList<>(weights.layers());
        layers.set(0, new MlpWeights.Dense(first.inputs(), first.outputs(), broken, first.bias()));
        assertThatThrownBy(() -> OnnxExporter.exportFp32(List.of(new MlpWeights("relu", layers)), transform, Map.of()))
                .isInstanceOf(CaravanException.class)
                .hasMessageContaining("layer 1 weights hold NaN at index 5");
    }

    @Test
    void aConstantActivationCannotBeCalibrated() {
        double[] zeros = new double[10 * FEATURES];
        assertThatThrownBy(() -> Calibrator.calibrate(weights, transform, zeros, 10, Calibrator.Method.MINMAX, 99.99))
                .isInstanceOf(CaravanException.class)
                .hasMessageContaining("the input of layer 1 is constant (every value 0.0 over 10 rows)");
    }

    @Test
    void aModelOrtCannotLoadIsAClearError() {
        assertThatThrownBy(() -> OrtModel.load(new byte[] {1, 2, 3}, FEATURES, "broken"))
                .isInstanceOf(CaravanException.class)
                .hasMessageStartingWith("ONNX Runtime cannot load the broken model");
    }
}
