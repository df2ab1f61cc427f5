package dev.caravan.train;

import dev.caravan.data.CaravanException;
import dev.caravan.data.EncodedSplits;
import dev.caravan.data.FeatureMatrix;
import dev.caravan.data.FittedTransform;
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
        float[] prediction;
        if (transform.isClassification()) {
            prediction = new float[transform.target().labels().size()];
            for (float label : train.targets()) {
                prediction[(int) label] += 1f / train.rows();
            }
        } else {
            double mean = 0;
            for (float target : train.targets()) {
                mean += transform.unscaleTarget(target) / train.rows();
            }
            prediction = new float[] {(float) mean};
        }
        float[] outputs = new float[test.rows() * prediction.length];
        for (int row = 0; row < test.rows(); row++) {
            System.arraycopy(prediction, 0, outputs, row * prediction.length, prediction.length);
        }
        return Scores.test(transform, outputs, Scores.Outputs.SERVED, test.targets());
    }
}
