package dev.caravan.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CandidateSpaceTest {
    private static final Hyperparameters SHARED = new Hyperparameters(
            List.of(1),
            Activation.GELU,
            0,
            OptimizerKind.ADAM,
            0.9,
            1,
            0,
            1,
            10,
            LearningRateSchedule.CONSTANT,
            LossKind.MSE);

    private static CandidateSpace space() {
        return new CandidateSpace(
                List.of(List.of(8), List.of(16, 8)), List.of(0.1, 0.01), List.of(0.0), List.of(32, 64), List.of(0.0));
    }

    @Test
    void theGridHasEveryCombination() {
        List<Hyperparameters> grid = space().grid(SHARED);
        assertThat(grid).hasSize(8);
        assertThat(grid).extracting(Hyperparameters::activation).containsOnly(Activation.GELU);
        assertThat(grid.get(7).hidden()).containsExactly(16, 8);
    }

    @Test
    void aRandomSampleIsSeededAndDistinct() {
        List<Hyperparameters> first = space().sample(SHARED, 3, 5);
        assertThat(first).hasSize(3).doesNotHaveDuplicates();
        assertThat(space().sample(SHARED, 3, 5)).isEqualTo(first);
        assertThat(space().sample(SHARED, 99, 5)).hasSize(8);
    }

    @Test
    void anEmptyListIsAnError() {
        assertThatThrownBy(() -> new CandidateSpace(List.of(), List.of(0.1), List.of(0.0), List.of(32), List.of(0.0)))
                .hasMessageContaining("the candidate grid is empty: hidden lists no value");
    }

    @Test
    void badValuesAreNamed() {
        CandidateSpace negative =
                new CandidateSpace(List.of(List.of(8)), List.of(-0.1), List.of(0.0), List.of(32), List.of(0.0));
        assertThatThrownBy(() -> negative.grid(SHARED)).hasMessageContaining("learningRate must be > 0, got -0.1");
    }
}
