package dev.caravan.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.caravan.evaluate.BlessingGate.Decision;
import dev.caravan.evaluate.BlessingGate.Direction;
import org.junit.jupiter.api.Test;

class BlessingGateTest {
    @Test
    void aLowerErrorIsBlessedWithItsNumbersInTheReason() {
        Decision decision = new BlessingGate("rmse", Direction.LOWER, 0, 0).decide(1.8, 3, 2.0);

        assertThat(decision.blessed()).isTrue();
        assertThat(decision.absoluteChange()).isCloseTo(0.2, within(1e-12));
        assertThat(decision.relativeChange()).isCloseTo(0.1, within(1e-12));
        assertThat(decision.reason())
                .startsWith("blessed: rmse 1.80000 against champion v3's 2.00000")
                .contains("improvement +0.200000 (+10.000%)");
    }

    @Test
    void aHigherErrorIsNotBlessed() {
        Decision decision = new BlessingGate("rmse", Direction.LOWER, 0, 0).decide(2.2, 1, 2.0);

        assertThat(decision.blessed()).isFalse();
        assertThat(decision.absoluteChange()).isCloseTo(-0.2, within(1e-12));
        assertThat(decision.reason()).startsWith("not blessed: rmse 2.20000").contains("-10.000%");
    }

    @Test
    void bothMarginsMustBeMet() {
        BlessingGate gate = new BlessingGate("accuracy", Direction.HIGHER, 0.01, 0.05);

        assertThat(gate.decide(0.82, 1, 0.80).blessed())
                .as("+0.02 but only +2.5%")
                .isFalse();
        assertThat(gate.decide(0.85, 1, 0.80).blessed()).as("+0.05 and +6.25%").isTrue();
        assertThat(new BlessingGate("accuracy", Direction.HIGHER, 0, 0.05)
                        .decide(0.805, 1, 0.75)
                        .blessed())
                .as("+7.3%")
                .isTrue();
    }

    @Test
    void aNegativeMarginAllowsABoundedLossAndEqualScoresPassTheDefaults() {
        assertThat(new BlessingGate("accuracy", Direction.HIGHER, -0.01, -1)
                        .decide(0.795, 1, 0.80)
                        .blessed())
                .isTrue();
        assertThat(new BlessingGate("accuracy", Direction.HIGHER, -0.01, -1)
                        .decide(0.78, 1, 0.80)
                        .blessed())
                .isFalse();
        assertThat(new BlessingGate("r2", Direction.HIGHER, 0, 0)
                        .decide(0.9, 1, 0.9)
                        .blessed())
                .isTrue();
    }

    @Test
    void withoutAChampionAFiniteScoreIsBlessedAndNaNIsNot() {
        BlessingGate gate = new BlessingGate("rmse", Direction.LOWER, 0, 0);

        assertThat(gate.withoutChampion(1.5).reason()).isEqualTo("blessed: no champion yet (rmse 1.50000)");
        assertThat(gate.withoutChampion(Double.NaN).blessed()).isFalse();
        assertThat(gate.decide(Double.NaN, 1, 2.0).blessed()).isFalse();
    }

    @Test
    void errorsAndLossesImproveDownwards() {
        assertThat(BlessingGate.defaultDirection("rmse")).isEqualTo(Direction.LOWER);
        assertThat(BlessingGate.defaultDirection("logLoss")).isEqualTo(Direction.LOWER);
        assertThat(BlessingGate.defaultDirection("accuracy")).isEqualTo(Direction.HIGHER);
        assertThat(BlessingGate.defaultDirection("r2")).isEqualTo(Direction.HIGHER);
    }
}
