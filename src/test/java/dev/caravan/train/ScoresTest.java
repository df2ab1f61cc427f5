package dev.caravan.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ScoresTest {
    @Test
    void regressionMetrics() {
        Map<String, Double> metrics = Scores.regression(new double[] {1, 2, 3, 5}, new double[] {1, 2, 4, 4});
        assertThat(metrics.get("rmse")).isCloseTo(Math.sqrt(0.5), within(1e-12));
        assertThat(metrics.get("mae")).isCloseTo(0.5, within(1e-12));
        assertThat(metrics.get("r2")).isCloseTo(1 - 2 / 6.75, within(1e-12));
    }

    @Test
    void binaryClassificationMetrics() {
        float[] probabilities = {0.9f, 0.1f, 0.4f, 0.6f, 0.35f, 0.65f, 0.2f, 0.8f};
        float[] labels = {0, 1, 0, 1};
        Map<String, Double> metrics = Scores.classification(probabilities, labels, 2);
        assertThat(metrics.get("accuracy")).isEqualTo(0.75);
        assertThat(metrics.get("rocAuc")).isEqualTo(0.75); // positives 0.6, 0.8 against negatives 0.1, 0.65
        assertThat(metrics.get("macroF1")).isCloseTo((2.0 / 3 + 0.8) / 2, within(1e-12));
        assertThat(metrics.get("logLoss"))
                .isCloseTo(-(Math.log(0.9) + Math.log(0.6) + Math.log(0.35) + Math.log(0.8)) / 4, within(1e-6));
    }

    @Test
    void softmaxRowsSumToOne() {
        float[] probabilities = Scores.softmax(new float[] {1, 2, 3, 1000, 0, 0}, 3);
        assertThat(probabilities[0] + probabilities[1] + probabilities[2]).isCloseTo(1f, within(1e-6f));
        assertThat(probabilities[3]).isEqualTo(1f);
    }
}
