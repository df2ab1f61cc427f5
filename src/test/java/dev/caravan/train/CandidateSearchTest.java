package dev.caravan.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import dev.caravan.data.FeatureMatrix;
import java.util.List;
import org.junit.jupiter.api.Test;

class CandidateSearchTest {
    private static final CandidateSearch.Listener QUIET = new CandidateSearch.Listener() {
        @Override
        public void onEpoch(int candidate, EpochStats stats, int bestEpoch, double bestValue) {}

        @Override
        public void onRung(int rung, int rungs, int candidates, int untilEpoch) {}
    };

    private static final FeatureMatrix TRAIN = Synthetic.regression(240, 21);
    private static final FeatureMatrix VALIDATION = Synthetic.regression(80, 22);

    private static Hyperparameters settings(List<Integer> hidden, double learningRate) {
        return new Hyperparameters(
                hidden,
                Activation.TANH,
                0.1,
                OptimizerKind.ADAM,
                0.9,
                learningRate,
                0,
                32,
                45,
                LearningRateSchedule.CONSTANT,
                LossKind.MSE);
    }

    /** Six candidates, of which 2 and 4 learn at a useful rate and the others barely move from their start. */
    private static List<Hyperparameters> twoStrongAmongSix() {
        return List.of(
                settings(List.of(8), 1e-6),
                settings(List.of(16), 1e-6),
                settings(List.of(16), 0.02),
                settings(List.of(8, 8), 1e-6),
                settings(List.of(16, 8), 0.02),
                settings(List.of(4), 1e-6));
    }

    private static CandidateSearch.Result search(CandidateSearch.Strategy strategy, int threads) {
        return search(strategy, threads, 0);
    }

    private static CandidateSearch.Result search(CandidateSearch.Strategy strategy, int threads, int replicas) {
        TaskShape task = new TaskShape(false, 1, 1);
        MlpTrainer trainer = new MlpTrainer(task, Device.cpu(), 7, Monitor.VAL_LOSS, 100, 0, QUIET);
        return new CandidateSearch(trainer, strategy, threads, 0, false, replicas, QUIET)
                .run(twoStrongAmongSix(), new MlpTrainer.TrainingData(task, TRAIN, VALIDATION), null);
    }

    @Test
    void halvingStopsTheWeakAtTheFirstRungAndTrainsTheStrongToTheEnd() {
        CandidateSearch.Result result = search(CandidateSearch.Strategy.HALVING, 2);

        // rungs at epochs 5, 15 and 45: the first keeps 2 of 6, the second 1 of 2
        assertThat(result.summary()).startsWith("successive halving, rungs at epochs 5, 15, 45");
        List<CandidateSearch.Decision> first =
                result.decisions().stream().filter(d -> d.rung() == 1).toList();
        assertThat(first).hasSize(6);
        assertThat(first.stream().filter(CandidateSearch.Decision::promoted))
                .extracting(CandidateSearch.Decision::candidate)
                .containsExactlyInAnyOrder(2, 4);
        assertThat(first).allMatch(d -> d.epoch() == 5);
        for (int weak : List.of(0, 1, 3, 5)) {
            TrainedCandidate halted = result.candidates().get(weak);
            assertThat(halted.stoppedEpoch()).isEqualTo(5);
            assertThat(halted.stopReason()).startsWith("halted at rung 1 (epoch 5)");
        }
        List<CandidateSearch.Decision> second =
                result.decisions().stream().filter(d -> d.rung() == 2).toList();
        assertThat(second)
                .hasSize(2)
                .extracting(CandidateSearch.Decision::epoch)
                .containsOnly(15);
        int winner = second.stream()
                .filter(CandidateSearch.Decision::promoted)
                .findFirst()
                .orElseThrow()
                .candidate();
        assertThat(result.candidates().get(winner).stoppedEpoch()).isEqualTo(45);
    }

    @Test
    void parallelCandidatesGiveTheSequentialResultsBitForBit() {
        CandidateSearch.Result sequential = search(CandidateSearch.Strategy.HALVING, 1);
        CandidateSearch.Result parallel = search(CandidateSearch.Strategy.HALVING, 3);

        assertThat(parallel.decisions()).isEqualTo(sequential.decisions());
        for (int i = 0; i < sequential.candidates().size(); i++) {
            TrainedCandidate one = sequential.candidates().get(i);
            TrainedCandidate other = parallel.candidates().get(i);
            assertThat(other.parameters()).as("candidate %d", i).isEqualTo(one.parameters());
            assertThat(other.history())
                    .extracting(EpochStats::validationLoss)
                    .isEqualTo(one.history().stream()
                            .map(EpochStats::validationLoss)
                            .toList());
        }
    }

    @Test
    void replicasTrainTheBestSettingsAgainFromOtherSeeds() {
        CandidateSearch.Result result = search(CandidateSearch.Strategy.HALVING, 2, 2);

        assertThat(result.candidates()).hasSize(8);
        TrainedCandidate best = result.candidates().stream()
                .filter(c -> c.stoppedEpoch() == 45 && c.index() < 6)
                .findFirst()
                .orElseThrow();
        for (TrainedCandidate replica : result.candidates().subList(6, 8)) {
            assertThat(replica.hyperparameters()).isEqualTo(best.hyperparameters());
            assertThat(replica.parameters()).isNotEqualTo(best.parameters());
            assertThat(replica.stoppedEpoch()).isEqualTo(45);
        }
        assertThat(result.candidates().get(6).parameters())
                .isNotEqualTo(result.candidates().get(7).parameters());
        assertThat(result.summary())
                .endsWith("candidates 7 to 8 are candidate " + (best.index() + 1)
                        + " trained again from other seeds, for an ensemble");
    }

    @Test
    void exhaustiveTrainsEveryCandidateToTheEnd() {
        CandidateSearch.Result result = search(CandidateSearch.Strategy.EXHAUSTIVE, 3);

        assertThat(result.decisions()).isEmpty();
        assertThat(result.candidates())
                .extracting(TrainedCandidate::stoppedEpoch)
                .containsOnly(45);
    }
}
