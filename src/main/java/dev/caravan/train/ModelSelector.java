package dev.caravan.train;

import dev.caravan.data.CaravanException;
import dev.caravan.data.EncodedSplits;
import dev.caravan.data.FeatureMatrix;
import dev.caravan.data.FittedTransform;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Picks the best trained candidate by validation metric and scores it, and the baseline, on the test split. */
public final class ModelSelector {
    private final Monitor monitor;

    public ModelSelector(Monitor monitor) {
        this.monitor = monitor;
    }

    public Selection select(List<TrainedCandidate> candidates, EncodedSplits encoded) {
        Comparator<TrainedCandidate> byMonitor = monitor.maximizes()
                ? Comparator.comparingDouble(TrainedCandidate::bestValidationMetric)
                        .reversed()
                : Comparator.comparingDouble(TrainedCandidate::bestValidationLoss);
        TrainedCandidate chosen = candidates.stream()
                .filter(TrainedCandidate::usable)
                .min(byMonitor.thenComparingInt(TrainedCandidate::index))
                .orElseThrow(() -> CaravanException.badSetting(
                        "every candidate diverged before its first finite" + " epoch; lower the learning rate"));
        TrainedModel model = new TrainedModel(chosen.architecture(), chosen.parameters());
        FittedTransform transform = encoded.transform();
        FeatureMatrix test = encoded.test();
        Map<String, Double> scores = Scores.test(transform, model.outputs(test), Scores.Outputs.RAW, test.targets());
        return new Selection(chosen, model, scores, baseline(transform, encoded.train(), test), candidates);
    }

    /** The mean of the training targets, or the training class frequencies, predicted for every test row. */
    private static Map<String, Double> baseline(FittedTransform transform, FeatureMatrix train, FeatureMatrix test) {
        if (transform.isClassification()) {
            int classes = transform.target().labels().size();
            float[] prior = new float[classes];
            for (float label : train.targets()) {
                prior[(int) label] += 1f / train.rows();
            }
            float[] probabilities = new float[test.rows() * classes];
            for (int row = 0; row < test.rows(); row++) {
                System.arraycopy(prior, 0, probabilities, row * classes, classes);
            }
            return Scores.classification(probabilities, test.targets(), classes);
        }
        double mean = 0;
        for (float target : train.targets()) {
            mean += transform.unscaleTarget(target) / train.rows();
        }
        double[] predicted = new double[test.rows()];
        Arrays.fill(predicted, mean);
        return Scores.regression(predicted, actual(transform, test));
    }

    private static double[] actual(FittedTransform transform, FeatureMatrix test) {
        double[] actual = new double[test.rows()];
        for (int i = 0; i < actual.length; i++) {
            actual[i] = transform.unscaleTarget(test.targets()[i]);
        }
        return actual;
    }
}
