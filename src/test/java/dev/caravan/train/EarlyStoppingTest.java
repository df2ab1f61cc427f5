package dev.caravan.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.caravan.train.EarlyStopping.Decision;
import org.junit.jupiter.api.Test;

class EarlyStoppingTest {
    @Test
    void comparesWithTheBestEpochNotThePreviousOne() {
        EarlyStopping stopping = new EarlyStopping(false, 2, 0, 100);
        assertThat(stopping.record(1, 1.0, 1)).isEqualTo(Decision.IMPROVED);
        assertThat(stopping.record(2, 1.5, 1)).isEqualTo(Decision.CONTINUE);
        // better than epoch 2 but not than the best (epoch 1): still no improvement
        assertThat(stopping.record(3, 1.2, 1)).isEqualTo(Decision.STOP);
        assertThat(stopping.bestEpoch()).isEqualTo(1);
        assertThat(stopping.stopReason()).isEqualTo(EarlyStopping.PATIENCE_EXHAUSTED);
    }

    @Test
    void improvementsSmallerThanMinDeltaDoNotCount() {
        EarlyStopping stopping = new EarlyStopping(false, 2, 0.1, 100);
        stopping.record(1, 1.0, 1);
        assertThat(stopping.record(2, 0.95, 1)).isEqualTo(Decision.CONTINUE);
        assertThat(stopping.record(3, 0.85, 1)).isEqualTo(Decision.IMPROVED);
        assertThat(stopping.bestEpoch()).isEqualTo(3);
    }

    @Test
    void accuracyIsMaximized() {
        EarlyStopping stopping = new EarlyStopping(true, 1, 0, 100);
        stopping.record(1, 0.7, 1);
        assertThat(stopping.record(2, 0.8, 1)).isEqualTo(Decision.IMPROVED);
        assertThat(stopping.record(3, 0.75, 1)).isEqualTo(Decision.STOP);
        assertThat(stopping.bestValue()).isEqualTo(0.8);
    }

    @Test
    void stopsAtMaxEpochsEvenWhenImproving() {
        EarlyStopping stopping = new EarlyStopping(false, 5, 0, 2);
        stopping.record(1, 1.0, 1);
        assertThat(stopping.record(2, 0.5, 1)).isEqualTo(Decision.IMPROVED);
        assertThat(stopping.stopped()).isTrue();
        assertThat(stopping.stopReason()).isEqualTo(EarlyStopping.MAX_EPOCHS);
    }

    @Test
    void aNonFiniteLossMeansDivergence() {
        EarlyStopping stopping = new EarlyStopping(false, 5, 0, 100);
        stopping.record(1, 1.0, 1);
        assertThat(stopping.record(2, 0.5, Double.NaN)).isEqualTo(Decision.STOP);
        assertThat(stopping.stopReason()).isEqualTo("diverged: loss NaN");
        assertThat(stopping.bestEpoch()).isEqualTo(1);
    }

    @Test
    void rejectsBadSettings() {
        assertThatThrownBy(() -> new EarlyStopping(false, 0, 0, 10)).hasMessageContaining("patience must be >= 1");
        assertThatThrownBy(() -> new EarlyStopping(false, 1, -1, 10)).hasMessageContaining("minDelta must be >= 0");
    }
}
