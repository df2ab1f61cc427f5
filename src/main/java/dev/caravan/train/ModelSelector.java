package dev.caravan.train;

import dev.caravan.data.CaravanException;
import dev.caravan.data.EncodedSplits;
import dev.caravan.data.FeatureMatrix;
import dev.caravan.data.FittedTransform;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Picks the best trained candidate by validation and, when asked, grows an ensemble from it (greedy forward
 * selection, Caruana et al., 2004): each next-best candidate joins the mean only if the mean then does better on
 * validation, up to the ensemble's size; so an ensemble is kept only when it beats the single best. Then scores the
 * model, and the baseline, on the test split.
 */
public final class ModelSelector {
    private final Monitor monitor;
    private final int ensembleSize;

    /** {@code ensembleSize}: how many candidates an ensemble averages at most; 1 for none. */
    public ModelSelector(Monitor monitor, int ensembleSize) {
        if (ensembleSize < 1) {
            throw new IllegalArgumentException("training.ensemble.size must be >= 1, got " + ensembleSize);
        }
        this.monitor = monitor;
        this.ensembleSize = ensembleSize;
    }

    /**
     * @param logEncoded the splits with the log-encoded target that candidates with {@code logTarget} learnt, or
     *     null; when some did, candidates are compared by RMSE in the target's units, and an ensemble only joins
     *     candidates that learnt the target the same way
     */
    public Selection select(List<TrainedCandidate> candidates, EncodedSplits encoded, EncodedSplits logEncoded) {
        boolean mixed = candidates.stream().anyMatch(c -> c.hyperparameters().logTarget());
        Comparator<TrainedCandidate> byMonitor = monitor.maximizes()
                ? Comparator.comparingDouble(TrainedCandidate::bestValidationMetric)
                        .reversed()
                : mixed
                        ? Comparator.comparingDouble(TrainedCandidate::bestValidationMetric)
                        : Comparator.comparingDouble(TrainedCandidate::bestValidationLoss);
        List<TrainedCandidate> usable = candidates.stream()
                .filter(TrainedCandidate::usable)
                .sorted(byMonitor.thenComparingInt(TrainedCandidate::index))
                .toList();
        if (usable.isEmpty()) {
            throw CaravanException.badSetting(
                    "every candidate diverged before its first finite epoch; lower the learning rate");
        }
        TrainedCandidate chosen = usable.get(0);
        boolean log = chosen.hyperparameters().logTarget();
        if (log) {
            encoded = logEncoded;
        }
        List<TrainedCandidate> ranked = usable.stream()
                .filter(c -> c.hyperparameters().logTarget() == log)
                .toList();
        FittedTransform transform = encoded.transform();
        List<TrainedCandidate> members = List.of(chosen);
        Ensemble model = ensemble(members, transform);
        String decision;
        if (ensembleSize == 1) {
            decision = "no ensemble (training.ensemble.size is 1)";
        } else if (ranked.size() == 1) {
            decision = "no ensemble: only one candidate is usable";
        } else {
            TaskShape task = TaskShape.of(transform);
            LossKind loss = chosen.hyperparameters().loss();
            double alone = validation(task, loss, model, encoded.validation());
            double best = alone;
            List<TrainedCandidate> grown = new ArrayList<>(members);
            for (TrainedCandidate next : ranked.subList(1, ranked.size())) {
                if (grown.size() == ensembleSize) {
                    break;
                }
                grown.add(next);
                Ensemble mean = ensemble(grown, transform);
                double value = validation(task, loss, mean, encoded.validation());
                if (monitor.maximizes() ? value > best : value < best) {
                    best = value;
                    model = mean;
                } else {
                    grown.remove(grown.size() - 1);
                }
            }
            members = List.copyOf(grown);
            decision = members.size() == 1
                    ? String.format(
                            Locale.ROOT,
                            "no ensemble: adding no other candidate to candidate %d improved its validation %s %.6g",
                            chosen.index() + 1,
                            monitor.maximizes() ? "accuracy" : "loss",
                            alone)
                    : String.format(
                            Locale.ROOT,
                            "the mean of candidates %s: validation %s %.6g against %.6g for candidate %d alone",
                            members.stream()
                                    .map(c -> String.valueOf(c.index() + 1))
                                    .collect(Collectors.joining(", ")),
                            monitor.maximizes() ? "accuracy" : "loss",
                            best,
                            alone,
                            chosen.index() + 1);
        }
        FeatureMatrix test = encoded.test();
        Map<String, Double> scores = Scores.test(transform, model.outputs(test), Scores.Outputs.RAW, test.targets());
        return new Selection(
                chosen,
                members,
                model,
                decision,
                encoded,
                scores,
                baseline(transform, encoded.train(), test),
                candidates);
    }

    private static Ensemble ensemble(List<TrainedCandidate> members, FittedTransform transform) {
        return new Ensemble(
                members.stream()
                        .map(c -> new TrainedModel(c.architecture(), c.parameters()))
                        .toList(),
                transform.isClassification());
    }

    /** The monitored validation value of a model, computed as training computed it. */
    private double validation(TaskShape task, LossKind loss, Ensemble model, FeatureMatrix validation) {
        float[] outputs = model.outputs(validation);
        return monitor.maximizes()
                ? task.metric(outputs, validation.targets())
                : task.loss(loss, outputs, validation.targets());
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
