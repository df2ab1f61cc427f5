package dev.caravan.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import dev.caravan.data.FeatureMatrix;
import java.util.List;
import org.junit.jupiter.api.Test;

class MlpTrainerTest {
    private static final MlpTrainer.EpochListener QUIET = (candidate, stats, bestEpoch, bestValue) -> {};

    private static Hyperparameters settings(int maxEpochs, double learningRate) {
        return new Hyperparameters(
                List.of(32, 16),
                Activation.TANH,
                0,
                OptimizerKind.ADAM,
                0.9,
                learningRate,
                0,
                32,
                maxEpochs,
                LearningRateSchedule.CONSTANT,
                LossKind.MSE);
    }

    private static MlpTrainer regressionTrainer(int patience) {
        return new MlpTrainer(new TaskShape(false, 1, 1), Device.cpu(), 42, Monitor.VAL_LOSS, patience, 0, QUIET);
    }

    @Test
    void learnsAKnownFunction() {
        FeatureMatrix train = Synthetic.regression(1500, 1);
        FeatureMatrix test = Synthetic.regression(300, 2);
        TrainedCandidate candidate =
                regressionTrainer(10).train(0, settings(60, 0.01), train, Synthetic.regression(300, 3));

        float[] predicted = new TrainedModel(candidate.architecture(), candidate.parameters()).outputs(test);
        double[] p = new double[predicted.length];
        double[] a = new double[predicted.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = predicted[i];
            a[i] = test.targets()[i];
        }
        assertThat(Scores.regression(p, a).get("r2")).isGreaterThanOrEqualTo(0.9);
    }

    @Test
    void restoresTheBestEpochsWeights() {
        FeatureMatrix train = Synthetic.regression(200, 4);
        FeatureMatrix validation = Synthetic.regression(100, 5);
        // a learning rate this high makes the validation loss bounce, so the last epoch is rarely the best
        TrainedCandidate candidate = regressionTrainer(3).train(0, settings(40, 0.2), train, validation);

        assertThat(candidate.stoppedEpoch()).isGreaterThan(candidate.bestEpoch());
        EpochStats best = candidate.history().get(candidate.bestEpoch() - 1);
        EpochStats last = candidate.history().get(candidate.history().size() - 1);
        assertThat(last.validationLoss()).isNotEqualTo(best.validationLoss());
        float[] outputs = new TrainedModel(candidate.architecture(), candidate.parameters()).outputs(validation);
        assertThat(Scores.meanSquaredError(outputs, validation.targets())).isEqualTo(best.validationLoss());
        assertThat(candidate.bestValidationLoss()).isEqualTo(best.validationLoss());
        assertThat(candidate.stopReason()).isEqualTo(EarlyStopping.PATIENCE_EXHAUSTED);
    }

    @Test
    void isDeterministicForASeed() {
        FeatureMatrix train = Synthetic.regression(300, 6);
        FeatureMatrix validation = Synthetic.regression(100, 7);
        Hyperparameters hp = new Hyperparameters(
                List.of(16),
                Activation.RELU,
                0.2,
                OptimizerKind.SGD,
                0.9,
                0.05,
                1e-4,
                16,
                8,
                new LearningRateSchedule(LearningRateSchedule.Kind.STEP, 3, 0.5),
                LossKind.MSE);
        TrainedCandidate first = regressionTrainer(5).train(0, hp, train, validation);
        TrainedCandidate second = regressionTrainer(5).train(0, hp, train, validation);

        assertThat(second.history())
                .extracting(EpochStats::validationLoss)
                .isEqualTo(
                        first.history().stream().map(EpochStats::validationLoss).toList());
        assertThat(second.parameters()).isEqualTo(first.parameters());
        assertThat(first.history())
                .extracting(EpochStats::learningRate)
                .containsExactly(0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.0125, 0.0125);
    }

    @Test
    void trainsWithL1LossGeluAndACosineSchedule() {
        FeatureMatrix train = Synthetic.regression(300, 11);
        FeatureMatrix validation = Synthetic.regression(100, 12);
        Hyperparameters hp = new Hyperparameters(
                List.of(16),
                Activation.GELU,
                0,
                OptimizerKind.ADAM,
                0.9,
                0.01,
                0,
                32,
                4,
                new LearningRateSchedule(LearningRateSchedule.Kind.COSINE, 1, 1),
                LossKind.L1);
        TrainedCandidate candidate = regressionTrainer(10).train(0, hp, train, validation);

        assertThat(candidate.stopReason()).isEqualTo(EarlyStopping.MAX_EPOCHS);
        assertThat(candidate.history())
                .extracting(EpochStats::learningRate)
                .containsExactly(
                        0.01,
                        0.01 * 0.5 * (1 + Math.cos(Math.PI / 4)),
                        0.005,
                        0.01 * 0.5 * (1 + Math.cos(3 * Math.PI / 4)));
        float[] outputs = new TrainedModel(candidate.architecture(), candidate.parameters()).outputs(validation);
        assertThat(Scores.meanAbsoluteError(outputs, validation.targets())).isEqualTo(candidate.bestValidationLoss());
    }

    @Test
    void classifiesWellAboveTheMajorityClass() {
        FeatureMatrix train = Synthetic.classification(1500, 8);
        FeatureMatrix test = Synthetic.classification(400, 9);
        MlpTrainer trainer =
                new MlpTrainer(new TaskShape(true, 3, 1), Device.cpu(), 42, Monitor.VAL_ACCURACY, 8, 0, QUIET);
        TrainedCandidate candidate = trainer.train(0, settings(60, 0.01), train, Synthetic.classification(300, 10));

        float[] probabilities =
                Scores.softmax(new TrainedModel(candidate.architecture(), candidate.parameters()).outputs(test), 3);
        double majority = 0;
        for (int k = 0; k < 3; k++) {
            int count = 0;
            for (float label : test.targets()) {
                count += (int) label == k ? 1 : 0;
            }
            majority = Math.max(majority, (double) count / test.rows());
        }
        assertThat(Scores.accuracy(probabilities, test.targets(), 3)).isGreaterThan(majority + 0.3);
    }
}
