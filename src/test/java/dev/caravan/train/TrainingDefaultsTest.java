package dev.caravan.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrainingDefaultsTest {
    @Test
    void theBatchIsThePowerOfTwoNearestAThirtySecondOfTheRows() {
        assertThat(TrainingDefaults.batchSize(100)).isEqualTo(16);
        assertThat(TrainingDefaults.batchSize(700)).isEqualTo(16);
        assertThat(TrainingDefaults.batchSize(2_000)).isEqualTo(64);
        assertThat(TrainingDefaults.batchSize(40_000)).isEqualTo(512);
        assertThat(TrainingDefaults.batchSize(1_000_000)).isEqualTo(512);
    }

    @Test
    void epochsFollowTheStepBudgetWithinBounds() {
        // 700 rows in batches of 16: 44 steps an epoch, so 114 epochs make 5000 steps
        assertThat(TrainingDefaults.maxEpochs(700, 16)).isEqualTo(114);
        assertThat(TrainingDefaults.maxEpochs(50, 16)).isEqualTo(500);
        assertThat(TrainingDefaults.maxEpochs(1_000_000, 512)).isEqualTo(30);
    }

    @Test
    void thePlateauWaitsAThirdOfThePatience() {
        assertThat(TrainingDefaults.plateauEpochs(10)).isEqualTo(3);
        assertThat(TrainingDefaults.plateauEpochs(3)).isEqualTo(2);
    }

    @Test
    void theSpaceTriesHalfOnceAndTwiceTheDerivedBatch() {
        Hyperparameters shared = new Hyperparameters(
                List.of(1),
                Activation.RELU,
                0,
                OptimizerKind.ADAM,
                0.9,
                1e-3,
                0,
                64,
                100,
                LearningRateSchedule.CONSTANT,
                LossKind.MSE);

        assertThat(TrainingDefaults.space(64).grid(shared).stream()
                        .map(Hyperparameters::batchSize)
                        .distinct())
                .containsExactly(32, 64, 128);
    }
}
