package dev.caravan.onnx;

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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Static INT8 on a wide model: size, accuracy within the gate, and the gate's rejections. */
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

    private static byte[] int8(Calibrator.Method method, double percentile) {
        return OnnxExporter.exportInt8(
                weights,
                transform,
                Calibrator.calibrate(
                        weights,
                        transform,
                        SyntheticRegression.doubles(calibration.features()),
                        calibration.rows(),
                        method,
                        percentile),
                Map.of());
    }

    @Test
    void int8IsUnderAThirdOfTheSizeAndWithinTheGate() {
        byte[] fp32 = OnnxExporter.exportFp32(weights, transform, Map.of());
        for (Calibrator.Method method : Calibrator.Method.values()) {
            byte[] int8 = int8(method, 99.99);
            assertThat((double) int8.length / fp32.length).as(method.name()).isLessThanOrEqualTo(0.3);
            double fp32Rmse = rmse(fp32);
            double int8Rmse = rmse(int8);
            QuantizationGate.Decision decision =
                    QuantizationGate.decide("rmse", false, fp32Rmse, int8Rmse, 0.01, 256, 1.0, 0.5);
            assertThat(decision.accuracyPassed())
                    .as(method + ": " + decision.reason())
                    .isTrue();
        }
    }

    /** Calibration that clips the top tenth of each range makes an INT8 model that is surely worse. */
    @Test
    void anInt8ThatLosesAccuracyKeepsFp32AndSaysWhy() {
        double fp32Rmse = rmse(OnnxExporter.exportFp32(weights, transform, Map.of()));
        double int8Rmse = rmse(int8(Calibrator.Method.PERCENTILE, 90));
        QuantizationGate.Decision decision =
                QuantizationGate.decide("rmse", false, fp32Rmse, int8Rmse, 1e-6, 256, 1.0, 0.5);
        assertThat(int8Rmse).isGreaterThan(fp32Rmse);
        assertThat(decision.chosen()).isEqualTo("fp32");
        assertThat(decision.reason())
                .startsWith("fp32 kept: int8 fails the accuracy gate: rmse ")
                .contains("allowed 0.00%")
                .contains(String.format(Locale.ROOT, "fp32 %.4f", fp32Rmse));
    }

    @Test
    void aSlowerInt8KeepsFp32() {
        QuantizationGate.Decision decision = QuantizationGate.decide("accuracy", true, 0.9, 0.9, 0.01, 256, 1.0, 1.5);
        assertThat(decision.chosen()).isEqualTo("fp32");
        assertThat(decision.reason()).startsWith("fp32 kept: int8 is slower").contains("1.500 ms vs fp32 1.000 ms");
    }

    @Test
    void nonFiniteWeightsAreRefused() {
        MlpWeights.Dense first = weights.layers().get(0);
        float[] broken = first.weight().clone();
        broken[5] = Float.NaN;
        List<MlpWeights.Dense> layers = new ArrayList<>(weights.layers());
        layers.set(0, new MlpWeights.Dense(first.inputs(), first.outputs(), broken, first.bias()));
        assertThatThrownBy(() -> OnnxExporter.exportFp32(new MlpWeights("relu", layers), transform, Map.of()))
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
