package dev.caravan.train;

import dev.caravan.data.EncodedSplits;
import dev.caravan.data.FeatureMatrix;
import dev.caravan.data.FittedTransform;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Picks the best trained candidate by validation metric and scores it, and the baseline, on the test split. */
public final class ModelSelector {
    private final String monitor;

    /** @param monitor {@code val_loss} (lower wins) or {@code val_accuracy} (higher wins) */
    public ModelSelector(String monitor) {
        this.monitor = monitor;
    }

    public Selection select(List<TrainedCandidate> candidates, EncodedSplits encoded) {
        Comparator<TrainedCandidate> byMonitor = monitor.equals("val_accuracy")
                ? Comparator.comparingDouble(TrainedCandidate::bestValidationMetric).reversed()
                : Comparator.comparingDouble(TrainedCandidate::bestValidationLoss);
        TrainedCandidate chosen = candidates.stream().filter(TrainedCandidate::usable)
                .min(byMonitor.thenComparingInt(TrainedCandidate::index))
                .orElseThrow(() -> new TrainingException("every candidate diverged before its first finite epoch;"
                        + " lower the learning rate"));
        TrainedModel model = new TrainedModel(chosen.architecture(), chosen.parameters());
        FittedTransform transform = encoded.transform();
        FeatureMatrix test = encoded.test();
        float[] outputs = model.outputs(test);
        return new Selection(chosen, model, score(transform, outputs, test),
                baseline(transform, encoded.train(), test), candidates);
    }

    private static Map<String, Double> score(FittedTransform transform, float[] outputs, FeatureMatrix test) {
        if (transform.isClassification()) {
            int classes = transform.target().labels().size();
            return Scores.classification(Scores.softmax(outputs, classes), test.targets(), classes);
        }
        double[] predicted = new double[outputs.length];
        for (int i = 0; i < outputs.length; i++) {
            predicted[i] = transform.unscaleTarget(outputs[i]);
        }
        return Scores.regression(predicted, actual(transform, test));
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
        java.util.Arrays.fill(predicted, mean);
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
